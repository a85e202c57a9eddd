import type { OtbConvention } from '../../../core/types.ts';

/** Scores of one tracker on one target (or an aggregate), all fractions in [0, 1]. */
export interface OtbScores {
  successCurve: number[]; // 21 values, thresholds 0, 0.05, ..., 1
  precisionCurve: number[]; // 51 values, thresholds 0..50 px
  normPrecisionCurve: number[]; // 51 values, thresholds 0..0.5
  successAuc: number; // mean of the 21 success values (OTB toolkit definition)
  precision20: number;
  normPrecision20: number;
  op50: number;
  op75: number;
  frames: number;
}

export interface OtbSequenceScores extends OtbScores {
  target: string; // canonical target name
  attributes: string[];
  fps?: number;
  /** The frames the scores came from (image numbers, aligned boxes, IoU), for report.html's viewer. */
  perFrame?: { frames: number[]; gt: Float64Array; pred: Float64Array; iou: Float64Array };
}

export interface OtbTrackerEvaluation {
  tracker: string;
  overall: OtbScores & { sequences: number; fps?: number };
  perSequence: OtbSequenceScores[];
  /** Attribute code (IV, SV, ...) -> aggregate over the targets that carry it. */
  perAttribute: Record<string, OtbScores & { sequences: number }>;
  warnings: string[];
  /** The subset of `warnings` that changes what the scores mean, printed on the console too. */
  alerts?: string[];
}

/** One tracker against the baseline on the sequences both were scored on. */
export interface BaselineRow {
  tracker: string;
  baseline: string;
  sequences: number;
  /** Mean over the paired sequences of (tracker AUC - baseline AUC). */
  deltaAuc: number;
  ciLow: number;
  ciHigh: number;
  /** Two-sided paired sign-flip p-value, and after Holm's adjustment over the trackers compared. */
  p: number;
  pHolm: number;
  exact: boolean;
}

export interface OtbEvaluation {
  kind: 'otb';
  dataset: string; // OTB2013 | OTB50 | OTB100 | synthetic ...
  /** The dataset as every output names it: "OTB100", or "OTB100, 20 of 100 sequences" for part of it. */
  label?: string;
  convention: OtbConvention;
  /** The robustness experiment scored (absent: one-pass evaluation). */
  experiment?: 'tre' | 'sre';
  /** Human-readable statement of the rules applied, printed on every report. */
  rules: string[];
  trackers: OtbTrackerEvaluation[];
  /** eval --baseline: every other tracker's AUC difference from the baseline, with interval and p. */
  baseline?: BaselineRow[];
  /** Targets left out for every tracker, and why (also printed on the console). */
  alerts?: string[];
  /** Trackers that read no pixels (bench's static): a million fps is no speed to set in bold. */
  pixelFree?: string[];
}
