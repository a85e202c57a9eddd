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

export interface OtbEvaluation {
  kind: 'otb';
  dataset: string; // OTB2013 | OTB50 | OTB100 | synthetic ...
  convention: OtbConvention;
  /** Human-readable statement of the rules applied, printed on every report. */
  rules: string[];
  trackers: OtbTrackerEvaluation[];
  /** Targets left out for every tracker, and why (also printed on the console). */
  alerts?: string[];
  /** Trackers that read no pixels (bench's static): a million fps is no speed to set in bold. */
  pixelFree?: string[];
}
