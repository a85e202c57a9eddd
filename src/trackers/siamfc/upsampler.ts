import type { CubicTaps } from './response.ts';

/**
 * The separable bicubic upsampling of one response map (rows first, then columns), computed a row
 * of the output at a time so that searches over the output touch only the rows that can matter.
 * Every output row is bounded from the source side: row d is sum_k w_k * (row k of the resized
 * source), so it lies between sum_k w_k * (that row's max, or its min where w_k < 0) and the
 * converse. A search starts at the row with the most promising bound and then skips every row
 * whose bound cannot beat what it has found: the peak of a response sits in a few source rows, so
 * a search computes about 35 of 272 rows on real responses. Instances are kept and reloaded, so
 * nothing is allocated per frame.
 */
export class Upsampler {
  private readonly cols: Float64Array; // each source row resized: n x m
  private readonly hi: Float64Array; // per resized source row: max, min, sum
  private readonly lo: Float64Array;
  private readonly sums: Float64Array;
  private readonly weightSums: Float64Array; // how much of source row i all outputs take together
  /** Per output row: at least its largest (upper) / at most its smallest (lower) value. */
  readonly upper: Float64Array;
  readonly lower: Float64Array;
  /** One value per output row, for a caller's own bounds. */
  readonly scratch: Float64Array;
  /** The last row computed by row(). */
  readonly values: Float32Array;
  /** False when the map holds NaN or infinities: every bound is then void and searches visit every row. */
  finite = true;

  constructor(readonly taps: CubicTaps) {
    const { inSize: n, outSize: m, index, weight } = taps;
    this.cols = new Float64Array(n * m);
    this.hi = new Float64Array(n);
    this.lo = new Float64Array(n);
    this.sums = new Float64Array(n);
    this.weightSums = new Float64Array(n);
    for (let t = 0; t < m * 4; t++) this.weightSums[index[t]] += weight[t];
    this.upper = new Float64Array(m);
    this.lower = new Float64Array(m);
    this.scratch = new Float64Array(m);
    this.values = new Float32Array(m);
  }

  /** Resizes the rows of the n x n map at responses[offset ..] and bounds every output row. */
  load(map: Float32Array, offset: number): void {
    const { inSize: n, outSize: m, index, weight } = this.taps;
    const { cols, hi, lo, sums } = this;
    // Output column first: its four taps and weights are read once for all n source rows.
    for (let d = 0; d < m; d++) {
      const t = d * 4;
      const ia = offset + index[t],
        ib = offset + index[t + 1],
        ic = offset + index[t + 2],
        ie = offset + index[t + 3];
      const wa = weight[t],
        wb = weight[t + 1],
        wc = weight[t + 2],
        we = weight[t + 3];
      for (let i = 0, r = 0; i < n; i++, r += n)
        cols[i * m + d] = wa * map[r + ia] + wb * map[r + ib] + wc * map[r + ic] + we * map[r + ie];
    }
    for (let i = 0; i < n; i++) {
      let h = -Infinity;
      let l = Infinity;
      let sum = 0;
      for (let j = i * m; j < (i + 1) * m; j++) {
        h = Math.max(h, cols[j]);
        l = Math.min(l, cols[j]);
        sum += cols[j];
      }
      hi[i] = h;
      lo[i] = l;
      sums[i] = sum;
    }
    this.finite = true;
    for (let d = 0; d < m; d++) {
      let up = 0;
      let down = 0;
      let size = 0;
      for (let t = d * 4; t < d * 4 + 4; t++) {
        const w = weight[t];
        const i = index[t];
        up += w >= 0 ? w * hi[i] : w * lo[i];
        down += w >= 0 ? w * lo[i] : w * hi[i];
        size += Math.abs(w) * Math.max(Math.abs(hi[i]), Math.abs(lo[i]));
      }
      // 2^-20 of the row's magnitude covers the float64 rounding of sums and the float32 of values.
      this.upper[d] = up + size * 2 ** -20;
      this.lower[d] = down - size * 2 ** -20;
      this.finite &&= Number.isFinite(up) && Number.isFinite(down);
    }
  }

  /** Output row d into `values`, each value rounded to float32 as a stored map holds it. */
  row(d: number): Float32Array {
    const { outSize: m, index, weight } = this.taps;
    const { cols, values } = this;
    const t = d * 4;
    const a = index[t] * m,
      b = index[t + 1] * m,
      c = index[t + 2] * m,
      e = index[t + 3] * m;
    const wa = weight[t],
      wb = weight[t + 1],
      wc = weight[t + 2],
      we = weight[t + 3];
    for (let j = 0; j < m; j++) values[j] = wa * cols[a + j] + wb * cols[b + j] + wc * cols[c + j] + we * cols[e + j];
    return values;
  }

  /**
   * Calls visit(d) for every output row a search for the largest (sign 1) or smallest (sign -1)
   * value must see: first the row with the most promising bound, then in order each other row
   * whose bound can still beat found() (every row when the map is not finite).
   */
  search(bound: Float64Array, sign: 1 | -1, found: () => number, visit: (d: number) => void): void {
    let first = 0;
    for (let d = 1; d < bound.length; d++) if (sign * bound[d] > sign * bound[first]) first = d;
    visit(first);
    for (let d = 0; d < bound.length; d++) {
      if (d !== first && (!this.finite || !(sign * bound[d] < sign * found()))) visit(d);
    }
  }

  /** The largest (sign 1) or smallest (sign -1) value of the upsampled map. */
  extreme(sign: 1 | -1): number {
    let best = -sign * Infinity;
    this.search(
      sign > 0 ? this.upper : this.lower,
      sign,
      () => best,
      (d) => {
        const values = this.row(d);
        for (let j = 0; j < values.length; j++) if (sign * values[j] > sign * best) best = values[j];
      },
    );
    return best;
  }

  /**
   * Sum of the upsampled map, from the sums of the resized source rows: output row d adds
   * w_k times row k, so source row i counts with the total weight the resize gives it. This
   * differs from adding the float32 values one by one by rounding only (about 1e-10 relative).
   */
  total(): number {
    let sum = 0;
    for (let i = 0; i < this.taps.inSize; i++) sum += this.weightSums[i] * this.sums[i];
    return sum;
  }

  /** Sum of (value - min) over the whole map, value by value in row-major order. */
  sumAbove(min: number): number {
    let sum = 0;
    for (let d = 0; d < this.taps.outSize; d++) {
      const values = this.row(d);
      for (let j = 0; j < values.length; j++) sum += values[j] - min;
    }
    return sum;
  }
}
