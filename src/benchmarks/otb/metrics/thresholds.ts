/**
 * Threshold grids of the OTB-style curves. Each toolkit builds its grid its own way and a frame whose
 * IoU lands exactly on a grid value can flip, so the grids are reproduced bit for bit.
 */

/**
 * MATLAB's `a:d:b` does not compute a + k*d throughout: the upper half is counted back from b
 * (b - (n-k)*d) so that the last element is exactly b. The OTB toolkit's `0:0.05:1` is built this way.
 */
export function matlabColon(a: number, d: number, b: number): Float64Array {
  const n = Math.round((b - a) / d);
  const out = new Float64Array(n + 1);
  for (let k = 0; k <= n; k++) out[k] = k < n / 2 ? a + k * d : b - (n - k) * d;
  return out;
}

/** numpy's `np.arange(0, 1.05, 0.05)` (pysot) and `np.linspace(0, 1, 21)` (got10k): k * 0.05, last 1. */
function numpyGrid(count: number, step: number): Float64Array {
  const out = new Float64Array(count);
  for (let k = 0; k < count; k++) out[k] = k * step;
  return out;
}

/** The 21 overlap thresholds 0, 0.05, ..., 1 as the OTB MATLAB toolkit has them. */
export const SUCCESS_THRESHOLDS_MATLAB = matlabColon(0, 0.05, 1);
/** The same 21 thresholds as pysot and got10k compute them in numpy. */
export const SUCCESS_THRESHOLDS_NUMPY = numpyGrid(21, 0.05);
/** Centre-error thresholds 0..50 px (all toolkits; integers, so exact everywhere). */
export const PRECISION_THRESHOLDS = numpyGrid(51, 1);
/** Normalised centre-error thresholds, pysot's `np.arange(0, 51, 1) / 100`. */
export const NORM_PRECISION_THRESHOLDS = Float64Array.from({ length: 51 }, (_, k) => k / 100);

/** Index of the precision thresholds at which the scores are read. */
export const PRECISION_AT = 20; // 20 px
export const NORM_PRECISION_AT = 20; // 0.2
/** Index of IoU 0.5 and 0.75 in the success grid (OP50, OP75). */
export const OP50_AT = 10;
export const OP75_AT = 15;
