/**
 * Shared vocabulary of the harness. Two coordinate frames exist on purpose:
 * - OTB boxes (`Box` in OTB files, metrics and reports): x, y 1-based pixel index of the top-left
 *   pixel, w, h in pixels; the box covers pixels x .. x+w-1. Centre = x + (w-1)/2 (all toolkits).
 * - Image boxes (trackers, VOT regions): continuous, 0-based; pixel i covers [i, i+1).
 * OTB (x, y, w, h) is the image box (x-1, y-1, w, h); convert only at the boundary.
 */
export type Box = [x: number, y: number, w: number, h: number];

/** A polygon as a flat list x1, y1, ..., xn, yn (VOT regions, 0-based continuous coordinates). */
export type Polygon = number[];

export type OtbConvention = 'otb' | 'pysot' | 'got10k';
export type VotConvention = 'legacy' | 'pysot';

export function otbToImage(b: Box): Box {
  return [b[0] - 1, b[1] - 1, b[2], b[3]];
}

export function imageToOtb(b: Box): Box {
  return [b[0] + 1, b[1] + 1, b[2], b[3]];
}
