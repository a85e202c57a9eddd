import { Rng } from '../core/random.ts';
import { type BootstrapOptions, bootstrapDifference, type Matrix, mean, sd, signFlipPValue } from '../core/stats.ts';

// Moved to core/stats.ts (eval's --baseline uses them too); re-exported for the study's callers.
export {
  type BootstrapOptions,
  bootstrapDifference,
  EXACT_SIGN_FLIP_MAX,
  type Matrix,
  mean,
  quantile,
  sd,
  signFlipPValue,
} from '../core/stats.ts';

/**
 * The study's statistics, pure functions of per-sequence scores. A configuration's scores on a test
 * set are a matrix m[seed][sequence] (the same sequences, in the same order, for every configuration
 * of a comparison). Every random draw comes from a seeded Rng, so a recomputation gives the same bytes.
 */

/** Per seed, the mean over sequences: the score a single trained model gets on the test set. */
export function seedMeans(m: Matrix): number[] {
  return m.map((row) => mean(row));
}

/** Per sequence, the mean over seeds. */
export function sequenceMeans(m: Matrix): number[] {
  const n = m[0]?.length ?? 0;
  return Array.from({ length: n }, (_, q) => mean(m.map((row) => row[q])));
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
