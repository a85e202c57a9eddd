import type { ImageBox } from '../core/types.ts';
import type { RgbImage } from '../images/decode.ts';
import { samplePatch } from '../images/sample.ts';
import type { Rng } from '../core/random.ts';

export type { RgbImage };
export { meanColour, samplePatch } from '../images/sample.ts';

/**
 * Training crops as the reference implementations make them: both images are cut around the target
 * at the search scale s_x = s_z * 255/127 (s_z the exemplar context square, as in tracking), then
 * randomly stretched, centre-cropped to 255 - 8 and randomly cropped to 255 - 16 = 239 (a shift of
 * up to 4 px); the exemplar is the centre 127 of its own such crop. All of that is one affine map, so
 * each output pixel is sampled once (bilinear) straight from the frame, with the frame's mean colour
 * outside it.
 */
export interface CropSettings {
  exemplarSize: number;
  searchSize: number;
  /** Side, in pixels, of the search-scale crop the augmentation works in (255). */
  instanceSize: number;
  /** Context margin: p = context * (w + h). */
  context: number;
  /** Largest relative stretch (0.05 = up to 5% either way). */
  maxStretch: number;
  /** Largest shift in pixels of the instance crop. */
  maxShift: number;
  /** Probability that a pair is turned grey. */
  grayProb: number;
}

export const DEFAULT_CROP_SETTINGS: CropSettings = {
  exemplarSize: 127,
  searchSize: 239,
  instanceSize: 255,
  context: 0.5,
  maxStretch: 0.05,
  maxShift: 4,
  grayProb: 0.25,
};

/** No randomness: what validation uses. */
export function withoutAugmentation(s: CropSettings): CropSettings {
  return { ...s, maxStretch: 0, maxShift: 0, grayProb: 0 };
}

/** The exemplar context square side s_z for an image box (0-based x, y, w, h). */
function exemplarSide(box: ImageBox, context: number): number {
  const p = context * (box[2] + box[3]);
  return Math.sqrt((box[2] + p) * (box[3] + p));
}

export interface CropDraw {
  scale: number;
  shiftX: number;
  shiftY: number;
}

export function drawCrop(rng: Rng, s: CropSettings): CropDraw {
  return {
    scale: 1 + rng.uniform(-s.maxStretch, s.maxStretch),
    shiftX: rng.int(-s.maxShift, s.maxShift),
    shiftY: rng.int(-s.maxShift, s.maxShift),
  };
}

/** Crops one image of a pair, `size` = exemplar or search size, into out[offset ..]. */
export function cropAround(
  img: RgbImage,
  fill: readonly number[],
  box: ImageBox,
  size: number,
  draw: CropDraw,
  s: CropSettings,
  out: Float32Array,
  offset: number,
): void {
  const sx = (exemplarSide(box, s.context) * s.instanceSize) / s.exemplarSize;
  const cx = box[0] + box[2] / 2;
  const cy = box[1] + box[3] / 2;
  // Frame pixels per output pixel, and the output centre's position in the frame.
  const step = sx / s.instanceSize / draw.scale;
  const mid = (size - 1) / 2;
  const x0 = cx - 0.5 + (draw.shiftX - mid) * step;
  const y0 = cy - 0.5 + (draw.shiftY - mid) * step;
  samplePatch(img, fill, out, offset, size, x0, y0, step);
}

/** Replaces RGB by its luma (ITU-R BT.601) in out[offset .. offset + pixels*3]. */
export function toGray(out: Float32Array, offset: number, pixels: number): void {
  for (let i = offset, end = offset + pixels * 3; i < end; i += 3) {
    const y = 0.299 * out[i] + 0.587 * out[i + 1] + 0.114 * out[i + 2];
    out[i] = y;
    out[i + 1] = y;
    out[i + 2] = y;
  }
}
