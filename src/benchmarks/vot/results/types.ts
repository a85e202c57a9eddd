import type { VotRegion } from '../dataset/types.ts';

/** Result-line codes of the supervised experiment. */
export const VOT_INIT = 1;
export const VOT_FAILURE = 2;
export const VOT_SKIP = 0;
export type VotCode = typeof VOT_INIT | typeof VOT_FAILURE | typeof VOT_SKIP;

/** One line of a result file: a code, or the tracker's region (rectangle or polygon). */
export type VotResultLine = VotCode | VotRegion;

export type VotExperiment = 'baseline' | 'unsupervised';

/** One run of one tracker on one sequence. */
export interface VotRun {
  /** 1-based repetition number (`<seq>_<rep:03d>.txt`). */
  repetition: number;
  lines: VotResultLine[];
  /** Seconds per frame when a time file exists (NaN where a frame was not processed). */
  times?: number[];
  /** Where the run was read from (for messages); absent for runs made in memory. */
  file?: string;
}

export interface VotTrackerResults {
  tracker: string;
  /** sequence name -> its runs, sorted by repetition. Sequences without results are absent. */
  baseline: Map<string, VotRun[]>;
  unsupervised: Map<string, VotRun>;
  /** Defects found while importing (missing sequences, wrong lengths, ...), one line each. */
  defects: string[];
}
