import type { SiamfcSettings } from './settings.ts';

/**
 * SiamFC's response post-processing in plain arrays: bicubic upsampling with cv2.resize's
 * INTER_CUBIC semantics, scale penalty and choice, normalisation, Hann blending and the peak.
 */

const A = -0.75; // OpenCV's cubic convolution coefficient

/** cv2's four cubic weights for a fractional offset t in [0, 1). */
export function cubicWeights(t: number): [number, number, number, number] {
  const w0 = ((A * (t + 1) - 5 * A) * (t + 1) + 8 * A) * (t + 1) - 4 * A;
  const w1 = ((A + 2) * t - (A + 3)) * t * t + 1;
  const w2 = ((A + 2) * (1 - t) - (A + 3)) * (1 - t) * (1 - t) + 1;
  return [w0, w1, w2, 1 - w0 - w1 - w2];
}

/**
 * A 1-D cv2 INTER_CUBIC resize as four taps per output: destination d reads source coordinate
 * (d + 0.5) in/out - 0.5 from taps floor - 1 .. floor + 2, clamped to the edge (BORDER_REPLICATE).
 */
export interface CubicTaps {
  inSize: number;
  outSize: number;
  index: Int32Array; // outSize * 4 source indices
  weight: Float64Array; // outSize * 4 weights, each row summing to 1
}

export function cubicTaps(inSize: number, outSize: number): CubicTaps {
  const index = new Int32Array(outSize * 4);
  const weight = new Float64Array(outSize * 4);
  const scale = inSize / outSize;
  for (let d = 0; d < outSize; d++) {
    const f = (d + 0.5) * scale - 0.5;
    const s = Math.floor(f);
    const w = cubicWeights(f - s);
    for (let k = 0; k < 4; k++) {
      index[d * 4 + k] = Math.min(inSize - 1, Math.max(0, s - 1 + k));
      weight[d * 4 + k] = w[k];
    }
  }
  return { inSize, outSize, index, weight };
}

/** Separable bicubic resize of one square map (rows first, then columns) into `out`. */
export function upsample(map: Float32Array, offset: number, taps: CubicTaps, out: Float32Array): void {
  const { inSize: n, outSize: m, index, weight } = taps;
  const cols = new Float64Array(n * m); // each source row resized: n x m
  for (let i = 0; i < n; i++) {
    const r = offset + i * n;
    for (let d = 0; d < m; d++) {
      const t = d * 4;
      cols[i * m + d] = weight[t] * map[r + index[t]] + weight[t + 1] * map[r + index[t + 1]] + weight[t + 2] * map[r + index[t + 2]] + weight[t + 3] * map[r + index[t + 3]];
    }
  }
  for (let d = 0; d < m; d++) {
    const t = d * 4;
    const a = index[t] * m, b = index[t + 1] * m, c = index[t + 2] * m, e = index[t + 3] * m;
    const wa = weight[t], wb = weight[t + 1], wc = weight[t + 2], we = weight[t + 3];
    const o = d * m;
    for (let j = 0; j < m; j++) out[o + j] = wa * cols[a + j] + wb * cols[b + j] + wc * cols[c + j] + we * cols[e + j];
  }
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
  responses: Float32Array, n: number, taps: CubicTaps, window: Float32Array,
  s: Pick<SiamfcSettings, 'scalePenalty' | 'windowInfluence' | 'responseUp'>,
): Peak {
  const r = taps.inSize;
  const up = taps.outSize;
  const maps = Array.from({ length: n }, () => new Float32Array(up * up));
  let best = -Infinity;
  let scale = 0;
  for (let k = 0; k < n; k++) {
    upsample(responses, k * r * r, taps, maps[k]);
    const penalty = k === (n - 1) / 2 ? 1 : s.scalePenalty;
    let max = -Infinity;
    for (const v of maps[k]) if (v > max) max = v;
    if (max * penalty > best) {
      best = max * penalty;
      scale = k;
    }
  }
  const map = maps[scale];
  let min = Infinity;
  let score = -Infinity;
  for (const v of map) {
    if (v < min) min = v;
    if (v > score) score = v;
  }
  let sum = 0;
  for (const v of map) sum += v - min;
  // The penalty scales the whole map, so normalising removes it: the raw map gives the same result.
  const norm = 1 / (sum + 1e-16);
  const wi = s.windowInfluence;
  let peak = -Infinity;
  let at = 0;
  for (let i = 0; i < map.length; i++) {
    const v = (1 - wi) * (map[i] - min) * norm + wi * window[i];
    if (v > peak) {
      peak = v;
      at = i;
    }
  }
  return { scale, row: Math.floor(at / up), col: at % up, score };
}
