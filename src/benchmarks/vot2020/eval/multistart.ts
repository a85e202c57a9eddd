import { UserError } from '../../../core/errors.ts';
import { anchors, type Vot2020Sequence } from '../dataset/types.ts';
import { isEmpty, overlap } from '../regions/raster.ts';
import type { Region } from '../regions/types.ts';
import { multistartName, readTrajectory, trajectoryBase, trajectoryFile } from '../results/files.ts';
import {
  addRunToCurve,
  averageAR,
  eaoCurve,
  eaoScore,
  emptyCurveSums,
  scoreRun,
  sequenceAR,
  type ScoredRun,
  type SequenceAR,
} from '../metrics/multistart.ts';

/** The frames a multistart run covers, in its own order: forward to the end, or back to frame 0. */
export function runFrames(length: number, anchor: number, direction: 'forward' | 'backward'): number[] {
  return direction === 'forward'
    ? Array.from({ length: length - anchor }, (_, k) => anchor + k)
    : Array.from({ length: anchor + 1 }, (_, k) => anchor - k);
}

/** Overlaps of one run's lines with the ground truth of their frames, bounded by the image. */
export function runOverlaps(seq: Vot2020Sequence, frames: readonly number[], lines: readonly Region[]) {
  const image = { width: seq.width, height: seq.height };
  const overlaps = new Float64Array(frames.length);
  const emptyGroundtruth = new Uint8Array(frames.length);
  frames.forEach((f, k) => {
    overlaps[k] = overlap(lines[k], seq.groundtruth[f], image, seq.ignore?.[f]);
    emptyGroundtruth[k] = isEmpty(seq.groundtruth[f]) ? 1 : 0;
  });
  return { overlaps, emptyGroundtruth };
}

export interface MultistartSequence {
  name: string;
  ar: SequenceAR;
  runs: (ScoredRun & { anchor: number; direction: 'forward' | 'backward' })[];
}

export interface MultistartResult {
  sequences: MultistartSequence[];
  accuracy: number;
  robustness: number;
  eao: number;
  /** Expected overlap at lengths 0..high-1. */
  curve: Float64Array;
}

/**
 * One tracker's multistart experiment (baseline or realtime) as the toolkit scores it. A sequence
 * without anchors or a missing run file is a one-line error, as the toolkit refuses to score them.
 */
export function evaluateMultistart(
  sequences: readonly Vot2020Sequence[],
  dir: string,
  tracker: string,
  experiment: string,
  eao: { low: number; high: number },
): MultistartResult {
  const sums = emptyCurveSums(eao.high);
  const out: MultistartSequence[] = [];
  for (const seq of sequences) {
    const list = anchors(seq);
    if (list.length === 0) throw new UserError(`${seq.dir}: no anchor frame (anchor.value), which the multistart experiment needs`);
    const runs: MultistartSequence['runs'] = [];
    for (const a of list) {
      const base = trajectoryBase(dir, tracker, experiment, seq.name, multistartName(seq.name, a.frame));
      const file = trajectoryFile(base);
      if (!file) throw new UserError(`${base}.txt: missing (${tracker}, ${experiment}, anchor frame ${a.frame})`);
      const frames = runFrames(seq.length, a.frame, a.direction);
      const run = scoreRun(runOverlaps(seq, frames, readTrajectory(file, frames.length)));
      addRunToCurve(sums, run);
      runs.push({ ...run, anchor: a.frame, direction: a.direction });
    }
    out.push({ name: seq.name, ar: sequenceAR(runs), runs });
  }
  const avg = averageAR(out.map((s, i) => ({ ar: s.ar, length: sequences[i].length })));
  const curve = eaoCurve(sums);
  return { sequences: out, ...avg, eao: eaoScore(curve, eao.low), curve };
}
