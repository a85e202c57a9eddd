/**
 * Box overlap as each toolkit computes it. Boxes are OTB x, y, w, h (1-based); arrays hold 4 values per
 * frame. NaN inputs give NaN, which fails every threshold, as in the toolkits.
 */

/**
 * OTB MATLAB toolkit (calcRectInt): a box covers pixels x .. x+w-1, so the intersection width is
 * min(right) - max(left) + 1. Not clipped: a box narrower than one pixel can exceed 1.
 */
export function iouPixel(ax: number, ay: number, aw: number, ah: number, bx: number, by: number, bw: number, bh: number): number {
  const iw = Math.max(0, Math.min(ax + aw - 1, bx + bw - 1) - Math.max(ax, bx) + 1);
  const ih = Math.max(0, Math.min(ay + ah - 1, by + bh - 1) - Math.max(ay, by) + 1);
  const inter = iw * ih;
  return inter / (aw * ah + bw * bh - inter);
}

/** pysot (overlap_ratio): continuous areas, inter/union clipped to [0, 1]; 0/0 stays NaN. */
export function iouContinuous(ax: number, ay: number, aw: number, ah: number, bx: number, by: number, bw: number, bh: number): number {
  const iw = Math.max(0, Math.min(ax + aw, bx + bw) - Math.max(ax, bx));
  const ih = Math.max(0, Math.min(ay + ah, by + bh) - Math.max(ay, by));
  const inter = iw * ih;
  return clip01(inter / (aw * ah + bw * bh - inter));
}

const EPS = 2.220446049250313e-16; // numpy's np.finfo(float).eps

/** got10k (rect_iou): continuous, inter / (union + eps), clipped; two empty boxes score 0, not NaN. */
export function iouGot10k(ax: number, ay: number, aw: number, ah: number, bx: number, by: number, bw: number, bh: number): number {
  const iw = Math.max(0, Math.min(ax + aw, bx + bw) - Math.max(ax, bx));
  const ih = Math.max(0, Math.min(ay + ah, by + bh) - Math.max(ay, by));
  const inter = iw * ih;
  return clip01(inter / (aw * ah + bw * bh - inter + EPS));
}

/** numpy's clip / maximum(minimum()) keep NaN; Math.min/max do too. */
function clip01(v: number): number {
  return Math.max(0, Math.min(1, v));
}
