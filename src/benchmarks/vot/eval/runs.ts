import type { VotSequence } from '../dataset/types.ts';
import { failureFrames, runOverlaps } from '../metrics/accuracy.ts';
import type { VotRules } from '../metrics/conventions.ts';
import { imageBounds, NO_BOUNDS } from '../metrics/overlap.ts';
import type { VotResultLine, VotRun } from '../results/types.ts';

/** One run with everything the metrics need computed once: the overlaps are the expensive part. */
export interface ScoredRun {
  lines: VotResultLine[];
  /** Overlaps bounded for accuracy ([0, w] x [0, h]), no burn-in. */
  arOverlaps: Float64Array;
  /** Overlaps bounded for EAO ([0, w-1] x [0, h-1]); the same array when sizes are unknown. */
  eaoOverlaps: Float64Array;
  failures: number[];
}

/** Which repetitions a convention scores (see VotRules.runs). */
export function selectRuns(runs: readonly VotRun[], rules: VotRules): VotRun[] {
  if (rules.runs === 'all' || runs.length === 15) return [...runs];
  return runs.slice(0, 1);
}

export function scoreRuns(seq: VotSequence, runs: readonly VotRun[], rules: VotRules): ScoredRun[] {
  const sized = seq.width !== undefined && seq.height !== undefined;
  const arBounds = sized ? imageBounds(seq.width!, seq.height!, rules.accuracyInset) : NO_BOUNDS;
  const eaoBounds = sized ? imageBounds(seq.width!, seq.height!, rules.eaoInset) : NO_BOUNDS;
  return runs.map((run) => {
    const arOverlaps = runOverlaps(run.lines, seq.groundtruth, arBounds, rules.rasterization);
    const eaoOverlaps =
      sized && rules.accuracyInset !== rules.eaoInset
        ? runOverlaps(run.lines, seq.groundtruth, eaoBounds, rules.rasterization)
        : arOverlaps;
    return { lines: run.lines, arOverlaps, eaoOverlaps, failures: failureFrames(run.lines) };
  });
}

/** The frames of a run that carry a tag (all frames for undefined), as index list. */
export function taggedFrames(tag: Uint8Array | undefined, length: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < length; i++) if (!tag || tag[i]) out.push(i);
  return out;
}
