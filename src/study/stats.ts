import { Rng } from '../core/random.ts';

/**
 * The study's statistics, pure functions of per-sequence scores. A configuration's scores on a test
 * set are a matrix m[seed][sequence] (the same sequences, in the same order, for every configuration
 * of a comparison). Every random draw comes from a seeded Rng, so a recomputation gives the same bytes.
 */

export type Matrix = number[][];

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample standard deviation (n - 1); NaN for fewer than two values. */
export function sd(xs: readonly number[]): number {
  if (xs.length < 2) return NaN;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return Math.sqrt(s / (xs.length - 1));
}

/** Quantile of sorted values by linear interpolation between order statistics (R's type 7, NumPy's default). */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Per seed, the mean over sequences: the score a single trained model gets on the test set. */
export function seedMeans(m: Matrix): number[] {
  return m.map((row) => mean(row));
}

/** Per sequence, the mean over seeds. */
export function sequenceMeans(m: Matrix): number[] {
  const n = m[0]?.length ?? 0;
  return Array.from({ length: n }, (_, q) => mean(m.map((row) => row[q])));
}

export interface BootstrapOptions {
  draws: number;
  seed: number;
  /** Central coverage, 0.95 for a 95% interval. */
  level: number;
}

/**
 * Two-level paired bootstrap of mean(a) - mean(b): each draw resamples, with replacement, the
 * sequences (one set of indices shared by both, so each sequence stays paired with itself) and,
 * independently, the seeds of a and the seeds of b; the statistic is the mean over the drawn seeds
 * and sequences of a minus that of b. The interval is the percentile interval of the draws.
 */
export function bootstrapDifference(a: Matrix, b: Matrix, o: BootstrapOptions): { low: number; high: number } {
  const n = a[0].length;
  if (b[0].length !== n) throw new Error('bootstrapDifference: a and b must hold the same sequences');
  const rng = new Rng(o.seed);
  const stats = new Float64Array(o.draws);
  const seqs = new Int32Array(n);
  const drawnMean = (m: Matrix) => {
    let s = 0;
    for (let i = 0; i < m.length; i++) {
      const row = m[rng.int(0, m.length - 1)];
      for (let q = 0; q < n; q++) s += row[seqs[q]];
    }
    return s / (m.length * n);
  };
  for (let d = 0; d < o.draws; d++) {
    for (let q = 0; q < n; q++) seqs[q] = rng.int(0, n - 1);
    stats[d] = drawnMean(a) - drawnMean(b);
  }
  const sorted = Array.from(stats).sort((x, y) => x - y);
  const tail = (1 - o.level) / 2;
  return { low: quantile(sorted, tail), high: quantile(sorted, 1 - tail) };
}

/** Flips up to this many differences are enumerated exactly (2^n arrangements); beyond, Monte Carlo. */
export const EXACT_SIGN_FLIP_MAX = 16;

/**
 * Two-sided paired sign-flip (permutation) test of mean(d) = 0: under the null each difference is
 * as likely negative as positive, so the p-value is the share of the 2^n sign assignments whose
 * |sum| is at least the observed |sum|. Exact for n <= EXACT_SIGN_FLIP_MAX; otherwise `draws` random
 * assignments, p = (1 + hits) / (1 + draws), which never reports 0.
 */
export function signFlipPValue(d: readonly number[], o: { draws: number; seed: number }): { p: number; exact: boolean; draws: number } {
  const n = d.length;
  if (n === 0) return { p: NaN, exact: true, draws: 0 };
  let observed = 0;
  for (const x of d) observed += x;
  // Sums that equal the observed one in exact arithmetic may differ in the last bits.
  const threshold = Math.abs(observed) - 1e-12 * (1 + d.reduce((s, x) => s + Math.abs(x), 0));
  if (n <= EXACT_SIGN_FLIP_MAX) {
    const total = 2 ** n;
    let hits = 0;
    for (let mask = 0; mask < total; mask++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += mask & (1 << i) ? -d[i] : d[i];
      if (Math.abs(s) >= threshold) hits++;
    }
    return { p: hits / total, exact: true, draws: total };
  }
  const rng = new Rng(o.seed);
  let hits = 0;
  for (let k = 0; k < o.draws; k++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += rng.next() < 0.5 ? -d[i] : d[i];
    if (Math.abs(s) >= threshold) hits++;
  }
  return { p: (1 + hits) / (1 + o.draws), exact: false, draws: o.draws };
}

/** Label arrangements up to this many are enumerated exactly (C(10, 5) = 252 for five seeds each); beyond, Monte Carlo. */
export const EXACT_SEED_PERMUTATION_MAX = 200_000;

function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

/**
 * Two-sided permutation test of mean(a) = mean(b) over whole trained models: a and b are the
 * per-seed scores of two configurations, and under no effect of the loss the labels are
 * exchangeable, so the p-value is the share of the ways of choosing which |a| of the pooled seeds
 * are "a" whose |mean(a) - mean(b)| is at least the observed one. This asks whether the gap exceeds
 * what retraining with another seed gives, which the sign-flip test over sequences (given the
 * trained models) does not. Exact up to EXACT_SEED_PERMUTATION_MAX arrangements, else `draws`
 * random ones with p = (1 + hits) / (1 + draws). Unpaired, as the bootstrap is.
 */
export function seedPermutationPValue(
  a: readonly number[],
  b: readonly number[],
  o: { draws: number; seed: number },
): { p: number; exact: boolean; draws: number } {
  const pool = [...a, ...b];
  const n = pool.length;
  const k = a.length;
  if (k === 0 || b.length === 0) return { p: NaN, exact: true, draws: 0 };
  const total = pool.reduce((s, x) => s + x, 0);
  const gap = (sumA: number) => Math.abs(sumA / k - (total - sumA) / (n - k));
  const observed = gap(a.reduce((s, x) => s + x, 0));
  // Arrangements whose gap equals the observed one in exact arithmetic may differ in the last bits.
  const threshold = observed - 1e-12 * (1 + pool.reduce((s, x) => s + Math.abs(x), 0));
  const arrangements = binomial(n, k);
  if (arrangements <= EXACT_SEED_PERMUTATION_MAX) {
    let hits = 0;
    // Every k-subset of the pool's indices, in lexicographic order.
    const pick = Array.from({ length: k }, (_, i) => i);
    for (;;) {
      let s = 0;
      for (const i of pick) s += pool[i];
      if (gap(s) >= threshold) hits++;
      let i = k - 1;
      while (i >= 0 && pick[i] === n - k + i) i--;
      if (i < 0) break;
      pick[i]++;
      for (let j = i + 1; j < k; j++) pick[j] = pick[j - 1] + 1;
    }
    return { p: hits / arrangements, exact: true, draws: arrangements };
  }
  const rng = new Rng(o.seed);
  const idx = Array.from({ length: n }, (_, i) => i);
  let hits = 0;
  for (let d = 0; d < o.draws; d++) {
    // A partial Fisher-Yates shuffle: the first k positions are a uniform k-subset.
    let s = 0;
    for (let i = 0; i < k; i++) {
      const j = rng.int(i, n - 1);
      [idx[i], idx[j]] = [idx[j], idx[i]];
      s += pool[idx[i]];
    }
    if (gap(s) >= threshold) hits++;
  }
  return { p: (1 + hits) / (1 + o.draws), exact: false, draws: o.draws };
}

export interface Comparison {
  /** Mean over seeds of the per-seed mean, and its SD over seeds, for the configuration. */
  aucMean: number;
  aucSd: number;
  precMean: number;
  precSd: number;
  deltaAuc: number;
  ciLow: number;
  ciHigh: number;
  p: number;
  pExact: boolean;
  /** The permutation test over seeds (seedPermutationPValue) of the per-seed mean AUCs. */
  pSeeds: number;
  pSeedsExact: boolean;
}

export interface ScoreMatrices {
  auc: Matrix;
  precision: Matrix;
}

/** One configuration against the baseline on one test set. */
export function compare(config: ScoreMatrices, baseline: ScoreMatrices, o: BootstrapOptions & { permutationDraws: number }): Comparison {
  const aucs = seedMeans(config.auc);
  const precs = seedMeans(config.precision);
  const ci = bootstrapDifference(config.auc, baseline.auc, o);
  const a = sequenceMeans(config.auc);
  const b = sequenceMeans(baseline.auc);
  const test = signFlipPValue(
    a.map((x, q) => x - b[q]),
    { draws: o.permutationDraws, seed: o.seed },
  );
  const bySeed = seedPermutationPValue(aucs, seedMeans(baseline.auc), { draws: o.permutationDraws, seed: o.seed });
  return {
    aucMean: mean(aucs),
    aucSd: sd(aucs),
    precMean: mean(precs),
    precSd: sd(precs),
    // Mean over seeds of the per-seed means, minus the same of the baseline.
    deltaAuc: mean(aucs) - mean(seedMeans(baseline.auc)),
    ciLow: ci.low,
    ciHigh: ci.high,
    p: test.p,
    pExact: test.exact,
    pSeeds: bySeed.p,
    pSeedsExact: bySeed.exact,
  };
}
