import { type ImageBox, imageBox } from '../../core/types.ts';
import type { SiamfcSettings } from './settings.ts';

/**
 * SiamFC's geometry as pure functions over numbers. Positions are continuous image coordinates
 * (0-based, pixel i covers [i, i+1), see core/types.ts); a target is its centre and size.
 */
export interface Target {
  cx: number;
  cy: number;
  w: number;
  h: number;
}

export function targetOfBox(box: ImageBox): Target {
  const [x, y, w, h] = box;
  return { cx: x + w / 2, cy: y + h / 2, w, h };
}

export function boxOfTarget(t: Target): ImageBox {
  return imageBox([t.cx - t.w / 2, t.cy - t.h / 2, t.w, t.h]);
}

/** Exemplar side s_z = sqrt((w + p)(h + p)), p = context (w + h); search side s_x = s_z * 255/127. */
export function contextSizes(
  w: number,
  h: number,
  s: Pick<SiamfcSettings, 'context' | 'exemplarSize' | 'instanceSize'>,
): { zSize: number; xSize: number } {
  const p = s.context * (w + h);
  const zSize = Math.sqrt((w + p) * (h + p));
  return { zSize, xSize: (zSize * s.instanceSize) / s.exemplarSize };
}

/**
 * Where an out x out crop of the square of side `side` centred on (cx, cy) samples the frame, in
 * samplePatch's terms: output pixel u samples index coordinate x0 + u * step (pixel i's centre is at
 * index i, i.e. at continuous i + 0.5). Output pixel u covers [cx - side/2 + u step, + step), so
 * its centre is at continuous cx - side/2 + (u + 1/2) step: the half-pixel mapping of cv2.resize.
 */
export function cropWindow(cx: number, cy: number, side: number, out: number): { x0: number; y0: number; step: number } {
  const step = side / out;
  return { x0: cx - side / 2 + step / 2 - 0.5, y0: cy - side / 2 + step / 2 - 0.5, step };
}

/** step^k for k = -(n-1)/2 .. (n-1)/2: for 3 scales 1/step, 1, step. */
export function scaleFactors(n: number, step: number): number[] {
  return Array.from({ length: n }, (_, i) => step ** (i - (n - 1) / 2));
}

/** Symmetric Hann window of n points (numpy.hanning): 0.5 - 0.5 cos(2 pi k / (n - 1)). */
export function hann(n: number): Float64Array {
  const w = new Float64Array(n);
  if (n === 1) w[0] = 1;
  else for (let k = 0; k < n; k++) w[k] = 0.5 - 0.5 * Math.cos((2 * Math.PI * k) / (n - 1));
  return w;
}

/** Outer product of two n-point Hann windows, normalised to sum 1, row-major n x n. */
export function hannWindow2d(n: number): Float32Array {
  const w = hann(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += w[i];
  const out = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = (w[i] * w[j]) / (sum * sum);
  return out;
}

/**
 * Image displacement of the target for a peak at (row, col) of the upsampled map of side `upSize`:
 * (peak - (upSize - 1)/2) cells of the upsampled map, each totalStride/responseUp search-crop
 * pixels, each xSize * factor / instanceSize image pixels.
 */
export function peakDisplacement(
  row: number,
  col: number,
  upSize: number,
  xSize: number,
  factor: number,
  s: Pick<SiamfcSettings, 'totalStride' | 'responseUp' | 'instanceSize'>,
): { dx: number; dy: number } {
  const centre = (upSize - 1) / 2;
  const perCell = (s.totalStride / s.responseUp) * ((xSize * factor) / s.instanceSize);
  return { dx: (col - centre) * perCell, dy: (row - centre) * perCell };
}

/**
 * The search side whose pixels measure the peak's displacement (settings.displacement): the chosen
 * scale's crop (`xSize * factor`), the search side before the scale choice (`xSize`, MATLAB), or
 * the search side after this frame's damped update (`nextXSize`, siamfc-tf).
 */
export function displacementSide(xSize: number, factor: number, nextXSize: number, mode: SiamfcSettings['displacement']): number {
  if (mode === 'unscaled') return xSize;
  if (mode === 'damped') return nextXSize;
  return xSize * factor;
}

/**
 * Damped scale update: scale = (1 - lr) + lr * factor. The search side is clamped to
 * [minScale, maxScale] x its initial value and the target size follows the search side, so that a
 * clamp never makes the box disagree with the region searched.
 */
export function updateScale(
  target: Target,
  xSize: number,
  factor: number,
  initialXSize: number,
  s: Pick<SiamfcSettings, 'scaleLr' | 'minScale' | 'maxScale'>,
): { target: Target; xSize: number } {
  const scale = 1 - s.scaleLr + s.scaleLr * factor;
  const next = Math.min(s.maxScale * initialXSize, Math.max(s.minScale * initialXSize, xSize * scale));
  const k = next / xSize;
  return { target: { ...target, w: target.w * k, h: target.h * k }, xSize: next };
}
