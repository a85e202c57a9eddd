import { samplePatch } from '../../images/sample.ts';
import type { RgbImage } from '../../images/decode.ts';
import { cropWindow } from './geometry.ts';
import { mirrorIndex } from './response.ts';
import type { SiamfcSettings } from './settings.ts';

/**
 * SiamFC's crops with the resampling choices of docs/siamfc-tracker.md: the sub-pixel bilinear
 * crop of the PyTorch ports (samplePatch), MATLAB imresize's antialiased bicubic, and the MATLAB
 * scale pyramid (make_scale_pyramid.m): one crop of the largest scale, resized, then cut per scale.
 */

/** A float RGB image (interleaved, row-major), e.g. an intermediate crop. */
export interface FloatImage {
  width: number;
  height: number;
  data: ArrayLike<number>;
}

/** Resampling taps along one axis: `count` per output; index -1 takes the fill colour. */
export interface AxisTaps {
  size: number;
  count: number;
  index: Int32Array;
  weight: Float64Array;
}

/** Keys' cubic convolution kernel with a = -0.5 (MATLAB imresize 'bicubic'). */
export function keysCubic(x: number): number {
  const ax = Math.abs(x);
  if (ax <= 1) return 1.5 * ax ** 3 - 2.5 * ax ** 2 + 1;
  if (ax <= 2) return -0.5 * ax ** 3 + 2.5 * ax ** 2 - 4 * ax + 2;
  return 0;
}

/** The triangle kernel (bilinear). */
function triangle(x: number): number {
  return Math.max(0, 1 - Math.abs(x));
}

/**
 * Taps of a 1-D resampling in the way of MATLAB imresize's contributions(): output u samples the
 * source at index coordinate c = start + u * step (pixel i's centre at i); the kernel (width 4
 * cubic, 2 linear) is stretched by `step` when antialiasing a shrink (step > 1), and each output's
 * weights are normalised to sum 1. Sources outside [0, length) take the fill colour ('fill', a
 * frame padded with its mean colour) or are mirrored ('mirror', imresize's own edge rule on a patch).
 */
export function resampleTaps(
  start: number,
  step: number,
  size: number,
  length: number,
  kernel: 'linear' | 'cubic',
  antialias: boolean,
  border: 'fill' | 'mirror',
): AxisTaps {
  const base = kernel === 'cubic' ? keysCubic : triangle;
  const baseWidth = kernel === 'cubic' ? 4 : 2;
  const shrink = antialias && step > 1;
  const h = shrink ? (x: number) => base(x / step) / step : base;
  const width = shrink ? baseWidth * step : baseWidth;
  const count = Math.ceil(width) + 2;
  const index = new Int32Array(size * count);
  const weight = new Float64Array(size * count);
  for (let u = 0; u < size; u++) {
    const c = start + u * step;
    const left = Math.floor(c - width / 2);
    let sum = 0;
    for (let k = 0; k < count; k++) {
      const w = h(c - (left + k));
      weight[u * count + k] = w;
      sum += w;
    }
    for (let k = 0; k < count; k++) {
      const i = left + k;
      weight[u * count + k] /= sum;
      index[u * count + k] = i >= 0 && i < length ? i : border === 'mirror' ? mirrorIndex(i, length) : -1;
    }
  }
  return { size, count, index, weight };
}

/**
 * Separable resampling of `img` into an xt.size x yt.size RGB crop at out[offset ..]: rows first
 * (every source row the vertical taps read), then columns. Taps with index -1 read `fill`.
 */
export function resamplePatch(
  img: FloatImage | RgbImage,
  fill: readonly number[],
  out: Float32Array,
  offset: number,
  xt: AxisTaps,
  yt: AxisTaps,
): void {
  const { lo, rows } = rowsRead(yt);
  const tmp = resampleRows(img, fill, xt, lo, rows);
  resampleColumns(tmp, fill, out, offset, xt.size, yt, lo);
}

/** The source rows the vertical taps read with a nonzero weight: [lo, lo + rows). */
function rowsRead(yt: AxisTaps): { lo: number; rows: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (let t = 0; t < yt.index.length; t++) {
    const i = yt.index[t];
    if (i >= 0 && yt.weight[t] !== 0) {
      lo = Math.min(lo, i);
      hi = Math.max(hi, i);
    }
  }
  return { lo, rows: hi >= lo ? hi - lo + 1 : 0 };
}

/** The horizontal pass over those rows, kept in float64 for the vertical one. */
function resampleRows(img: FloatImage | RgbImage, fill: readonly number[], xt: AxisTaps, lo: number, rows: number): Float64Array {
  const { width: W, data } = img;
  const ow = xt.size;
  const tmp = new Float64Array(rows * ow * 3);
  for (let r = 0; r < rows; r++) {
    const src = (lo + r) * W * 3;
    for (let u = 0; u < ow; u++) {
      let a = 0,
        b = 0,
        c = 0;
      for (let k = u * xt.count; k < (u + 1) * xt.count; k++) {
        const w = xt.weight[k];
        if (w === 0) continue;
        const i = xt.index[k];
        if (i < 0) {
          a += w * fill[0];
          b += w * fill[1];
          c += w * fill[2];
        } else {
          const p = src + i * 3;
          a += w * data[p];
          b += w * data[p + 1];
          c += w * data[p + 2];
        }
      }
      const o = (r * ow + u) * 3;
      tmp[o] = a;
      tmp[o + 1] = b;
      tmp[o + 2] = c;
    }
  }
  return tmp;
}

/** The vertical pass from the row-resampled buffer (row lo first) into the crop. */
function resampleColumns(
  tmp: Float64Array,
  fill: readonly number[],
  out: Float32Array,
  offset: number,
  ow: number,
  yt: AxisTaps,
  lo: number,
): void {
  for (let v = 0; v < yt.size; v++) {
    const row = offset + v * ow * 3;
    for (let u = 0; u < ow; u++) {
      let a = 0,
        b = 0,
        c = 0;
      for (let k = v * yt.count; k < (v + 1) * yt.count; k++) {
        const w = yt.weight[k];
        if (w === 0) continue;
        const i = yt.index[k];
        if (i < 0) {
          a += w * fill[0];
          b += w * fill[1];
          c += w * fill[2];
        } else {
          const o = ((i - lo) * ow + u) * 3;
          a += w * tmp[o];
          b += w * tmp[o + 1];
          c += w * tmp[o + 2];
        }
      }
      out[row + u * 3] = a;
      out[row + u * 3 + 1] = b;
      out[row + u * 3 + 2] = c;
    }
  }
}

/**
 * First pixel of a whole-pixel window of `side` pixels centred on continuous coordinate `centre`
 * (index coordinate centre - 0.5): get_subwindow_tracking.m's window, without its half-pixel offsets.
 */
export function wholeWindow(centre: number, side: number): number {
  return Math.round(centre - 0.5 - (side - 1) / 2);
}

type CropSettings = Pick<SiamfcSettings, 'pyramid' | 'cropInterpolation'>;

/** A side -> out crop of the window that starts at index coordinate `first` (both axes given). */
function resampleWindow(
  img: FloatImage | RgbImage,
  fill: readonly number[],
  out: Float32Array,
  offset: number,
  outSize: number,
  firstX: number,
  firstY: number,
  side: number,
  interp: SiamfcSettings['cropInterpolation'],
  border: 'fill' | 'mirror',
): void {
  const step = side / outSize;
  const kernel = interp === 'bicubic' ? 'cubic' : 'linear';
  const aa = interp === 'bicubic';
  const x0 = firstX + step / 2 - 0.5;
  const y0 = firstY + step / 2 - 0.5;
  resamplePatch(
    img,
    fill,
    out,
    offset,
    resampleTaps(x0, step, outSize, img.width, kernel, aa, border),
    resampleTaps(y0, step, outSize, img.height, kernel, aa, border),
  );
}

/**
 * One square crop (the exemplar, or a search crop when scales are cropped separately): the square
 * of `side` centred on (cx, cy), resampled to out x out. 'separate' keeps the sub-pixel window
 * (cropWindow); 'one-crop' takes the whole-pixel window of round(side) pixels as MATLAB does.
 */
export function cropSquare(
  frame: RgbImage,
  fill: readonly number[],
  out: Float32Array,
  offset: number,
  cx: number,
  cy: number,
  side: number,
  outSize: number,
  s: CropSettings,
): void {
  if (s.pyramid === 'one-crop') {
    const n = Math.max(1, Math.round(side));
    resampleWindow(frame, fill, out, offset, outSize, wholeWindow(cx, n), wholeWindow(cy, n), n, s.cropInterpolation, 'fill');
    return;
  }
  const win = cropWindow(cx, cy, side, outSize);
  if (s.cropInterpolation === 'bilinear') {
    samplePatch(frame, fill, out, offset, outSize, win.x0, win.y0, win.step);
    return;
  }
  resamplePatch(
    frame,
    fill,
    out,
    offset,
    resampleTaps(win.x0, win.step, outSize, frame.width, 'cubic', true, 'fill'),
    resampleTaps(win.y0, win.step, outSize, frame.height, 'cubic', true, 'fill'),
  );
}

/**
 * The sides of make_scale_pyramid.m for search sides `sides` (ascending scales): each rounded; the
 * largest scale's square is resized to `region` = round(beta * largest) pixels, beta = out /
 * smallest, and scale k is the centred square of round(beta * side_k) pixels of that region.
 */
export function pyramidSides(sides: readonly number[], out: number): { rounded: number[]; region: number; cut: number[] } {
  const rounded = sides.map((v) => Math.max(1, Math.round(v)));
  const beta = out / rounded[0];
  const region = Math.round(beta * rounded[rounded.length - 1]);
  return { rounded, region, cut: rounded.map((v) => Math.round(beta * v)) };
}

/**
 * All search crops of one frame into out (n x side x side x 3): per scale from the frame
 * ('separate'), or the MATLAB pyramid ('one-crop'): one whole-pixel crop of the largest scale,
 * resized to the region, then each scale's centred whole-pixel square of it resized to `side`
 * (imresize mirrors at the region's edge).
 */
export function searchCrops(
  frame: RgbImage,
  fill: readonly number[],
  out: Float32Array,
  cx: number,
  cy: number,
  sides: readonly number[],
  side: number,
  s: CropSettings,
): void {
  const n = sides.length;
  if (s.pyramid !== 'one-crop') {
    for (let k = 0; k < n; k++) cropSquare(frame, fill, out, k * side * side * 3, cx, cy, sides[k], side, s);
    return;
  }
  const { rounded, region, cut } = pyramidSides(sides, side);
  const big = rounded[n - 1];
  const buf = new Float32Array(region * region * 3);
  resampleWindow(frame, fill, buf, 0, region, wholeWindow(cx, big), wholeWindow(cy, big), big, s.cropInterpolation, 'fill');
  const img: FloatImage = { width: region, height: region, data: buf };
  for (let k = 0; k < n; k++) {
    const first = Math.round((region - cut[k]) / 2);
    resampleWindow(img, fill, out, k * side * side * 3, side, first, first, cut[k], s.cropInterpolation, 'mirror');
  }
}
