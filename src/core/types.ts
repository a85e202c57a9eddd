/**
 * Shared vocabulary of the harness. Two coordinate bases exist on purpose, and the compiler keeps
 * them apart so that a box cannot reach the other side without its +/-1:
 * - `ToolkitBox`: the 1-based boxes of the toolkits' text files (OTB ground truth and result files,
 *   the published results, the regress and bench raw results): x, y the 1-based index of the
 *   top-left pixel, w, h in pixels; the box covers pixels x .. x+w-1 (centre x + (w-1)/2).
 * - `ImageBox`: continuous, 0-based pixel coordinates, pixel i covering [i, i+1): what trackers
 *   take and return, what crops sample and what VOT regions and GOT-10k boxes are written in.
 * A toolkit box (x, y, w, h) is the image box (x-1, y-1, w, h). `toolkitToImage` and
 * `imageToToolkit` are the only conversions; `toolkitBox` and `imageBox` only say which basis a
 * freshly parsed or computed box is in.
 */
declare const basis: unique symbol;

/** x, y, w, h in no declared basis: for code that treats both alike (overlaps of two boxes of one basis). */
export type Xywh = [x: number, y: number, w: number, h: number];
export type ToolkitBox = Xywh & { readonly [basis]: 'toolkit (1-based)' };
export type ImageBox = Xywh & { readonly [basis]: 'image (0-based)' };

export const toolkitBox = (b: Xywh): ToolkitBox => b as ToolkitBox;
export const imageBox = (b: Xywh): ImageBox => b as ImageBox;

/** A polygon as a flat list x1, y1, ..., xn, yn (VOT regions, 0-based continuous coordinates). */
export type Polygon = number[];

export type OtbConvention = 'otb' | 'pysot' | 'got10k' | 'lasot' | 'lasot-all-frames' | 'lasot-kept-frames' | 'pytracking';
export type VotConvention = 'legacy' | 'pysot';

export function toolkitToImage(b: ToolkitBox): ImageBox {
  return imageBox([b[0] - 1, b[1] - 1, b[2], b[3]]);
}

export function imageToToolkit(b: ImageBox): ToolkitBox {
  return toolkitBox([b[0] + 1, b[1] + 1, b[2], b[3]]);
}
