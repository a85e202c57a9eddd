import type { VotConvention } from '../../../core/types.ts';
import type { VotTag } from '../dataset/types.ts';
import type { EaoRange } from '../metrics/eao-range.ts';

export interface VotTagScore {
  tag: VotTag;
  /** Mean overlap over tagged frames (NaN when the tag has no scored frame). */
  accuracy: number;
  /** Failures on tagged frames, averaged over repetitions, summed over sequences. */
  failures: number;
  /** Tagged frames over the sequences the tracker has results for. */
  frames: number;
  /** 100 x failures / frames. */
  robustness: number;
  eao: number;
}

export interface VotSequenceScore {
  sequence: string;
  runs: number;
  accuracy: number;
  failures: number;
  frames: number;
}

export interface VotTrackerScore {
  tracker: string;
  /** Sequences with supervised results, and the repetitions used in total. */
  sequences: number;
  runs: number;
  accuracy: number;
  failures: number;
  frames: number;
  /** Failures per 100 frames. */
  robustness: number;
  /** exp(-30 x failures / frames), the A-R plot's axis. */
  reliability: number;
  eao: number;
  /** Phi(L) for L = 1..max sequence length. */
  curve: Float64Array;
  tags: VotTagScore[];
  perSequence: VotSequenceScore[];
  /** Unsupervised average overlap, when unsupervised results exist. */
  ao?: number;
  aoSequences?: number;
  /** Import defects and scoring notes for this tracker. */
  warnings: string[];
}

export interface VotEvaluation {
  dataset: string;
  /** The dataset as every output names it: "VOT2019", or "VOT2019, 20 of 60 sequences" for part of it. */
  label?: string;
  convention: VotConvention;
  range: EaoRange;
  /** Sequences whose overlaps were bounded to the image (sizes known) out of all. */
  boundedSequences: number;
  sequences: number;
  rules: string[];
  trackers: VotTrackerScore[];
}
