import { Rng } from './random.ts';

/**
 * Paired statistics over per-sequence scores, shared by the study (trained models, seeds x
 * sequences) and eval's --baseline (trackers, one row per tracker): pure functions, every random
 * draw from a seeded Rng, so a recomputation gives the same bytes.
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

/**
 * Holm's step-down adjustment of p-values for m tests (family-wise error): sorted ascending, the
 * k-th smallest (0-based) is multiplied by m - k, made non-decreasing along the order, capped at 1.
 * Returned in the input order.
 */
export function holmAdjust(ps: readonly number[]): number[] {
  const m = ps.length;
  const order = ps.map((p, i) => ({ p, i })).sort((x, y) => x.p - y.p);
  const out = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, k) => {
    running = Math.max(running, Math.min(1, (m - k) * p));
    out[i] = running;
  });
  return out;
}
