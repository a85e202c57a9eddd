import type { VotRegion } from '../dataset/types.ts';
import { VOT_FAILURE, VOT_INIT, type VotResultLine } from '../results/types.ts';
import { votOverlap, type Bounds, type Rasterization } from './overlap.ts';

/**
 * Per-frame overlap of one run with the ground truth, over the frames both have (the shorter length
 * wins, as in both toolkits). Code lines (1, 2, 0) have no region: NaN.
 */
export function runOverlaps(lines: readonly VotResultLine[], gt: readonly VotRegion[], bounds: Bounds, mode: Rasterization): Float64Array {
  const n = Math.min(lines.length, gt.length);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const l = lines[i];
    out[i] = typeof l === 'number' ? NaN : votOverlap(l, gt[i], bounds, mode);
  }
  return out;
}

/**
 * Burn-in: the frame of each (re)initialisation and the `burnin - 1` frames after it are left out of
 * accuracy (the toolkits dilate the `1` mask by `burnin` frames forward; pysot overwrites them with 0).
 */
export function burnInMask(lines: readonly VotResultLine[], burnin: number): Uint8Array {
  const mask = new Uint8Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== VOT_INIT) continue;
    for (let j = i; j < Math.min(lines.length, i + burnin); j++) mask[j] = 1;
  }
  return mask;
}

/** Overlaps with the burn-in frames set to NaN (ignored by accuracy). */
export function withBurnIn(overlaps: ArrayLike<number>, lines: readonly VotResultLine[], burnin: number): Float64Array {
  const mask = burnInMask(lines, burnin);
  return Float64Array.from(overlaps, (v, i) => (mask[i] ? NaN : v));
}

/** 0-based frames of the `2` (failure) lines. */
export function failureFrames(lines: readonly VotResultLine[]): number[] {
  const out: number[] = [];
  lines.forEach((l, i) => {
    if (l === VOT_FAILURE) out.push(i);
  });
  return out;
}

/** Mean of the non-NaN values; NaN when there are none. */
export function nanMean(values: ArrayLike<number>): number {
  let s = 0,
    n = 0;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isNaN(values[i])) {
      s += values[i];
      n++;
    }
  }
  return n ? s / n : NaN;
}

/**
 * Per-frame mean over repetitions (NaN where no repetition has a value): how both toolkits pool
 * repetitions before averaging frames.
 */
export function meanOverRuns(runs: ArrayLike<number>[]): Float64Array {
  const n = Math.max(0, ...runs.map((r) => r.length));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0,
      c = 0;
    for (const r of runs) {
      if (i < r.length && !Number.isNaN(r[i])) {
        s += r[i];
        c++;
      }
    }
    out[i] = c ? s / c : NaN;
  }
  return out;
}

/** Failure rate per 100 frames and VOT's A-R reliability exp(-S F / N), S = 30. */
export function failureRate(failures: number, frames: number): number {
  return frames > 0 ? (100 * failures) / frames : NaN;
}

export function reliability(failures: number, frames: number, s = 30): number {
  return frames > 0 ? Math.exp((-s * failures) / frames) : NaN;
}
