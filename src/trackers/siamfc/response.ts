import type { SiamfcSettings } from './settings.ts';
import { Upsampler } from './upsampler.ts';

/**
 * SiamFC's response post-processing in plain arrays: bicubic upsampling with cv2.resize's
 * INTER_CUBIC semantics, scale penalty and choice, normalisation, Hann blending and the peak.
 */

const A = -0.75; // OpenCV's cubic convolution coefficient; MATLAB's imresize uses -0.5 (Keys)

/** The four cubic weights for a fractional offset t in [0, 1) (cv2's formulation, coefficient a). */
export function cubicWeights(t: number, a = A): [number, number, number, number] {
  const w0 = ((a * (t + 1) - 5 * a) * (t + 1) + 8 * a) * (t + 1) - 4 * a;
  const w1 = ((a + 2) * t - (a + 3)) * t * t + 1;
  const w2 = ((a + 2) * (1 - t) - (a + 3)) * (1 - t) * (1 - t) + 1;
  return [w0, w1, w2, 1 - w0 - w1 - w2];
}

/**
 * A 1-D bicubic resize as four taps per output: destination d reads source coordinate
 * (d + 0.5) in/out - 0.5 from taps floor - 1 .. floor + 2; cv2 INTER_CUBIC (a = -0.75, clamped to
 * the edge, BORDER_REPLICATE) or MATLAB imresize upsampling (a = -0.5, mirrored at the edge).
 */
export interface CubicTaps {
  inSize: number;
  outSize: number;
  index: Int32Array; // outSize * 4 source indices
  weight: Float64Array; // outSize * 4 weights, each row summing to 1
}

export function cubicTaps(inSize: number, outSize: number, kind: 'opencv' | 'matlab' = 'opencv'): CubicTaps {
  const index = new Int32Array(outSize * 4);
  const weight = new Float64Array(outSize * 4);
  const scale = inSize / outSize;
  const a = kind === 'matlab' ? -0.5 : A;
  for (let d = 0; d < outSize; d++) {
    const f = (d + 0.5) * scale - 0.5;
    const s = Math.floor(f);
    const w = cubicWeights(f - s, a);
    for (let k = 0; k < 4; k++) {
      const i = s - 1 + k;
      // cv2: BORDER_REPLICATE; MATLAB imresize: the source mirrored (index -1 reads 0, -2 reads 1).
      index[d * 4 + k] = kind === 'matlab' ? mirrorIndex(i, inSize) : Math.min(inSize - 1, Math.max(0, i));
      weight[d * 4 + k] = w[k];
    }
  }
  return { inSize, outSize, index, weight };
}

/** MATLAB imresize's symmetric extension: ..., 1, 0 | 0, 1, ..., n-1 | n-1, n-2, ... */
export function mirrorIndex(i: number, n: number): number {
  const m = ((i % (2 * n)) + 2 * n) % (2 * n);
  return m < n ? m : 2 * n - 1 - m;
}

/** Separable bicubic resize of one square map (rows first, then columns) into `out`. */
export function upsample(map: Float32Array, offset: number, taps: CubicTaps, out: Float32Array): void {
  const u = new Upsampler(taps);
  u.load(map, offset);
  for (let d = 0; d < taps.outSize; d++) out.set(u.row(d), d * taps.outSize);
}

export interface Peak {
  /** Index of the chosen scale. */
  scale: number;
  /** Peak of the blended map, row and column in the upsampled map. */
  row: number;
  col: number;
  /** Largest raw (unpenalised) response of the chosen scale: the tracker's confidence. */
  score: number;
}

/**
 * Picks the scale whose penalised upsampled response peaks highest (first on ties, as numpy's
 * argmax), normalises that map (minus min, over sum), blends (1 - wi) * map + wi * window and
 * returns its peak. `responses` holds n maps of size r x r, row-major; `taps` resizes r to
 * r * responseUp and `window` is that size squared.
 */
export function locatePeak(
  responses: Float32Array,
  n: number,
  taps: CubicTaps,
  window: Float32Array,
  s: Pick<SiamfcSettings, 'scalePenalty' | 'windowInfluence' | 'responseUp'>,
): Peak {
  const r = taps.inSize;
  const up = taps.outSize;
  const scales = upsamplersFor(taps, n);
  let best = -Infinity;
  let scale = 0;
  let score = -Infinity;
  for (let k = 0; k < n; k++) {
    scales[k].load(responses, k * r * r);
    const max = scales[k].extreme(1);
    const penalty = k === (n - 1) / 2 ? 1 : s.scalePenalty;
    if (max * penalty > best) {
      best = max * penalty;
      scale = k;
      score = max;
    }
  }
  const u = scales[scale];
  const min = u.extreme(-1);
  // The penalty scales the whole map, so normalising removes it: the raw map gives the same result.
  let sum = u.total() - up * up * min;
  // total() misses each value's rounding to float32 (2^-24 relative at most): only a map that flat
  // could have its sum, and so the blend, changed by that, and it gets the sum value by value.
  if (!(sum > up * up * 2 ** -20 * Math.max(Math.abs(min), Math.abs(score)))) sum = u.sumAbove(min);
  const norm = 1 / (sum + 1e-16);
  const wi = s.windowInfluence;
  // Each row's blended values are at most its bound blended with the window's row maximum (for a
  // window influence outside [0, 1] that would not hold, and every row is searched).
  const rowWindow = windowRowMax(window, up);
  const bound = u.scratch;
  for (let d = 0; d < up; d++) {
    const b = (1 - wi) * (u.upper[d] - min) * norm + wi * rowWindow[d];
    bound[d] = wi >= 0 && wi <= 1 ? b + Math.abs(b) * 1e-12 : Infinity;
  }
  let peak = -Infinity;
  let at = 0;
  u.search(
    bound,
    1,
    () => peak,
    (d) => {
      const values = u.row(d);
      for (let j = 0, i = d * up; j < up; j++, i++) {
        const v = (1 - wi) * (values[j] - min) * norm + wi * window[i];
        // The first row searched is not the first in the map: ties go to the lower index, as numpy's argmax.
        if (v > peak || (v === peak && i < at)) {
          peak = v;
          at = i;
        }
      }
    },
  );
  return { scale, row: Math.floor(at / up), col: at % up, score };
}

/** One upsampler per scale, kept per resizer, so that frames allocate nothing. */
const upsamplers = new WeakMap<CubicTaps, Upsampler[]>();
function upsamplersFor(taps: CubicTaps, n: number): Upsampler[] {
  const all = upsamplers.get(taps) ?? [];
  while (all.length < n) all.push(new Upsampler(taps));
  upsamplers.set(taps, all);
  return all;
}

const windowRows = new WeakMap<Float32Array, Float64Array>();
function windowRowMax(window: Float32Array, m: number): Float64Array {
  let rows = windowRows.get(window);
  if (!rows) {
    rows = new Float64Array(m).fill(-Infinity);
    for (let i = 0; i < m * m; i++) rows[Math.floor(i / m)] = Math.max(rows[Math.floor(i / m)], window[i]);
    windowRows.set(window, rows);
  }
  return rows;
}
