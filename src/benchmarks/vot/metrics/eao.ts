/**
 * Expected average overlap by the legacy toolkit's fragment definition (estimate_expected_overlap.m),
 * with the two pysot deviations as options. All indices are 0-based frames.
 */

export interface EaoRunInput {
  /** Per-frame overlaps of the run, no burn-in, NaN on code lines. */
  overlaps: ArrayLike<number>;
  /** 0-based frames of its failures (`2` lines). */
  failures: readonly number[];
  /** Sequence length (ground-truth rows): the denominator of the last fragment's tag weight. */
  length: number;
  /** Weight of every fragment of this run before the tag factor (legacy: 1 / runs of its sequence). */
  weight: number;
  /** 0/1 per frame; undefined = every frame (the 'all' selector). */
  tag?: ArrayLike<number>;
}

export interface EaoOptions {
  /** Frames from a failure to the re-initialisation (5). */
  skip: number;
  /**
   * A failure at frame f cuts the run when f + skip < N (legacy, 1-based `points <= numel`) or when
   * f + skip <= N (pysot, 0-based `x + skipping <= len`): they differ for a failure exactly `skip`
   * frames before the end, which pysot pads with zeros and legacy leaves as a run-out tail.
   */
  cut: 'legacy' | 'pysot';
}

export interface Fragments {
  /** One row per fragment, `maxLen` long: overlaps, 0 after a failure, NaN after the run's end. */
  rows: Float64Array[];
  weights: number[];
}

/** Tagged frames in [from, to), clipped to the sequence (pysot slices a list, which clips). */
function tagSum(tag: ArrayLike<number> | undefined, from: number, to: number, length: number): number {
  if (!tag) return Math.max(0, Math.min(to, length) - from);
  let s = 0;
  for (let i = from; i < Math.min(to, tag.length, length); i++) s += tag[i] ? 1 : 0;
  return s;
}

/**
 * Cuts every run into fragments: frame 0 and each failure + skip start one. A fragment that ends in a
 * failure runs up to and including the next start frame and is padded with zeros to `maxLen` (the
 * tracker would have kept failing); the last fragment keeps its real length and NaN beyond ("missing").
 * A run without failure is copied as it is (its NaN first frame is never averaged: Phi skips frame 1).
 */
export function eaoFragments(runs: readonly EaoRunInput[], maxLen: number, opts: EaoOptions): Fragments {
  const rows: Float64Array[] = [];
  const weights: number[] = [];
  for (const run of runs) {
    const o = run.overlaps,
      n = o.length;
    if (run.failures.length === 0) {
      const m = Math.min(n, maxLen);
      const row = new Float64Array(maxLen).fill(NaN);
      for (let i = 0; i < m; i++) row[i] = o[i];
      rows.push(row);
      const w = n >= maxLen ? tagSum(run.tag, 0, maxLen, run.length) / maxLen : tagSum(run.tag, 0, run.length, run.length) / run.length;
      weights.push(run.weight * w);
      continue;
    }
    const points = [0, ...run.failures.map((f) => f + opts.skip).filter((p) => (opts.cut === 'legacy' ? p < n : p <= n))];
    for (let k = 0; k < points.length; k++) {
      const last = k === points.length - 1;
      const from = points[k];
      const to = last ? n : Math.min(points[k + 1] + 1, n);
      const row = new Float64Array(maxLen).fill(last ? NaN : 0);
      for (let i = from; i < to && i - from < maxLen; i++) row[i - from] = Number.isNaN(o[i]) ? 0 : o[i];
      rows.push(row);
      const w = last
        ? tagSum(run.tag, from, n, run.length) / (run.length - from)
        : tagSum(run.tag, from, points[k + 1] + 1, run.length) / (points[k + 1] - from + 1);
      weights.push(run.weight * (Number.isFinite(w) ? w : 0));
    }
  }
  return { rows, weights };
}

/**
 * Phi(L) for L = 1..maxLen (index L - 1): the weighted mean, over fragments that reach length L, of
 * their mean overlap on frames 2..L. Phi(1) = 1 by definition. NaN where no weight reaches L.
 */
export function expectedOverlapCurve(fr: Fragments, maxLen: number): Float64Array {
  const curve = new Float64Array(maxLen).fill(NaN);
  if (maxLen > 0) curve[0] = 1;
  // Running sums of each row over frames 2..L make the curve O(fragments x maxLen).
  const sums = new Float64Array(fr.rows.length);
  for (let L = 2; L <= maxLen; L++) {
    let num = 0,
      den = 0;
    for (let r = 0; r < fr.rows.length; r++) {
      const v = fr.rows[r][L - 1];
      sums[r] += v;
      if (Number.isNaN(v)) continue;
      num += (sums[r] / (L - 1)) * fr.weights[r];
      den += fr.weights[r];
    }
    curve[L - 1] = num / den;
  }
  return curve;
}

/** Mean of Phi(L) over L in [low, high] inclusive, skipping NaN entries (as both toolkits do). */
export function eaoScore(curve: ArrayLike<number>, low: number, high: number): number {
  let s = 0,
    n = 0;
  for (let L = Math.max(1, low); L <= Math.min(high, curve.length); L++) {
    const v = curve[L - 1];
    if (Number.isNaN(v)) continue;
    s += v;
    n++;
  }
  return n ? s / n : NaN;
}
