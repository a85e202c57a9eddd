/**
 * Centre distances. Every toolkit takes the centre of an OTB box as (x + (w-1)/2, y + (h-1)/2).
 */

export function centreError(ax: number, ay: number, aw: number, ah: number, bx: number, by: number, bw: number, bh: number): number {
  const dx = ax + (aw - 1) / 2 - (bx + (bw - 1) / 2);
  const dy = ay + (ah - 1) / 2 - (by + (bh - 1) / 2);
  return Math.sqrt(dx * dx + dy * dy);
}

/**
 * Centre error with each axis measured in ground-truth widths / heights (pysot's normalised
 * precision). Computed as pysot does — both centres divided by (gt size + 1e-16), then subtracted —
 * so that values on a threshold round the same way.
 */
export function normCentreError(px: number, py: number, pw: number, ph: number, gx: number, gy: number, gw: number, gh: number): number {
  const sx = gw + 1e-16;
  const sy = gh + 1e-16;
  const dx = (px + (pw - 1) / 2) / sx - (gx + (gw - 1) / 2) / sx;
  const dy = (py + (ph - 1) / 2) / sy - (gy + (gh - 1) / 2) / sy;
  return Math.sqrt(dx * dx + dy * dy);
}
