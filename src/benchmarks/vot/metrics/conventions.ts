import type { VotConvention } from '../../../core/types.ts';
import type { Rasterization } from './overlap.ts';

/** Everything that differs between the legacy MATLAB toolkit and pysot, as data. */
export interface VotRules {
  convention: VotConvention;
  rasterization: Rasterization;
  burnin: number;
  skip: number;
  /** Image bounds used for accuracy / EAO overlaps: [0, w - inset] x [0, h - inset]. */
  accuracyInset: number;
  eaoInset: number;
  cut: 'legacy' | 'pysot';
  /** legacy: each fragment weighs 1 / (runs of its sequence); pysot: every fragment weighs the same. */
  fragmentWeights: 'per-sequence' | 'uniform';
  /** legacy: every repetition present (1..15); pysot: all 15 when exactly 15 exist, else only the first. */
  runs: 'all' | 'fifteen-or-first';
  /** pysot stores the expected-overlap curve in float32. */
  float32Curve: boolean;
}

export const VOT_CONVENTIONS: Record<VotConvention, VotRules> = {
  legacy: {
    convention: 'legacy',
    rasterization: 'legacy',
    burnin: 10,
    skip: 5,
    accuracyInset: 0,
    eaoInset: 1,
    cut: 'legacy',
    fragmentWeights: 'per-sequence',
    runs: 'all',
    float32Curve: false,
  },
  pysot: {
    convention: 'pysot',
    rasterization: 'rounded',
    burnin: 10,
    skip: 5,
    accuracyInset: 0,
    eaoInset: 1,
    cut: 'pysot',
    fragmentWeights: 'uniform',
    runs: 'fifteen-or-first',
    float32Curve: true,
  },
};

/** Human-readable rules, printed by the CLI and written beside the report. */
export function describeVotRules(r: VotRules, range: { low: number; high: number; source: string }, bounded: boolean): string[] {
  const raster =
    r.rasterization === 'legacy'
      ? 'region overlap rasterised as the VOT region code with legacy rasterisation (MATLAB toolkit default): scanline spans between edge crossings'
      : "region overlap rasterised as pysot's region.c runs it (legacy flag unset): vertices and bounds rounded to whole pixels, spans filled inclusively";
  return [
    raster,
    bounded
      ? `overlap bounded to the image: [0, w] x [0, h] for accuracy, [0, w-1] x [0, h-1] for EAO`
      : 'overlap not bounded (image sizes unknown: no images next to the annotations)',
    `accuracy: mean overlap over frames pooled across sequences (per-frame mean over repetitions first), ignoring the ${r.burnin} frames from each (re)initialisation`,
    'failures: number of `2` lines, averaged over repetitions per sequence and summed over sequences; robustness = 100 x failures / frames; reliability = exp(-30 x failures / frames)',
    `EAO: fragments from frame 1 and each failure + ${r.skip}; failed fragments padded with zeros, the last one with "missing"; ` +
      (r.cut === 'legacy'
        ? 'a failure cuts the run only when its restart frame lies inside the sequence'
        : 'a failure cuts the run when failure + 5 <= length (pysot)'),
    r.fragmentWeights === 'per-sequence'
      ? 'EAO fragment weight: 1 / (repetitions of its sequence)'
      : 'EAO fragment weight: uniform (pysot)',
    `EAO = mean of Phi(L) for L in [${range.low}, ${range.high}] (${range.source})`,
    r.runs === 'all'
      ? 'repetitions: every run present (1..15) is averaged'
      : 'repetitions: all 15 when exactly 15 exist, otherwise only the first (pysot)',
    'per-tag: frames carrying the tag (burn-in counted inside the tagged frames, as the legacy label selectors do); failures on tagged frames; EAO with fragments weighted by their share of tagged frames; empty = frames without any tag',
    'unsupervised AO: one run, no reset, mean overlap over frames 2..N per sequence, averaged over sequences',
  ];
}
