import { localBounds } from './mask.ts';
import type { Mask, PixelBox, Polygon, Region } from './types.ts';

/**
 * Region overlap as the VOT toolkit (v0.8, `vot/region/raster.py`) computes it for VOT2020 and later:
 * both regions become pixel sets inside the box spanning both, clipped to the image, and overlap =
 * |A and B| / |A or B| counted in pixels, skipping pixels under an ignore region. Not analytic IoU.
 */

/** numpy's `round` on float32 values: half to even. */
export function roundHalfEven(v: number): number {
  const fl = Math.floor(v);
  const d = v - fl;
  if (d > 0.5) return fl + 1;
  if (d < 0.5) return fl;
  return fl % 2 === 0 ? fl : fl + 1;
}

function roundedPoints(p: Polygon): Float64Array {
  return Float64Array.from(p.points, roundHalfEven);
}

/** The inclusive pixel box a region occupies; codes and points sit at the origin, (0, 0, 0, 0). */
export function regionBounds(r: Region): PixelBox {
  switch (r.type) {
    case 'rectangle': {
      // x, y, w and h are each rounded, so 10.5,0,20.5,5 covers columns 10..29.
      const x = roundHalfEven(r.x),
        y = roundHalfEven(r.y);
      return [x, y, x + roundHalfEven(r.width) - 1, y + roundHalfEven(r.height) - 1];
    }
    case 'polygon': {
      const q = roundedPoints(r);
      const b: PixelBox = [Infinity, Infinity, -Infinity, -Infinity];
      for (let i = 0; i < q.length; i += 2) {
        b[0] = Math.min(b[0], q[i]);
        b[2] = Math.max(b[2], q[i]);
        b[1] = Math.min(b[1], q[i + 1]);
        b[3] = Math.max(b[3], q[i + 1]);
      }
      return b;
    }
    case 'mask': {
      const [l, t, rr, bb] = localBounds(r);
      return [l + r.x, t + r.y, rr + r.x, bb + r.y];
    }
    default:
      return [0, 0, 0, 0];
  }
}

/** The region's pixels inside `box` (inclusive), one byte per pixel, row-major. */
export function rasterize(r: Region, box: PixelBox): Uint8Array {
  const w = box[2] - box[0] + 1,
    h = box[3] - box[1] + 1;
  const out = new Uint8Array(Math.max(0, w) * Math.max(0, h));
  if (w <= 0 || h <= 0) return out;
  if (r.type === 'rectangle') {
    const [x0, y0, x1, y1] = regionBounds(r);
    const l = Math.max(x0, box[0]) - box[0],
      rt = Math.min(x1, box[2]) - box[0];
    const t = Math.max(y0, box[1]) - box[1],
      b = Math.min(y1, box[3]) - box[1];
    for (let y = t; y <= b; y++) if (rt >= l) out.fill(1, y * w + l, y * w + rt + 1);
  } else if (r.type === 'polygon') fillPolygon(roundedPoints(r), box, w, h, out);
  else if (r.type === 'mask') copyMask(r, box, w, out);
  return out;
}

function copyMask(m: Mask, box: PixelBox, w: number, out: Uint8Array): void {
  const tx = Math.max(m.x, box[0]),
    ty = Math.max(m.y, box[1]);
  const tw = Math.min(box[2] + 1, m.x + m.width) - tx,
    th = Math.min(box[3] + 1, m.y + m.height) - ty;
  for (let i = 0; i < th; i++)
    for (let j = 0; j < tw; j++) out[(ty - box[1] + i) * w + tx - box[0] + j] = m.data[(ty - m.y + i) * m.width + tx - m.x + j];
}

/**
 * The toolkit's scanline fill: per pixel row, the x of each edge crossing (truncated toward zero),
 * sorted, and filled pairwise inclusive; a repeated crossing is skipped unless it starts the last
 * pair, and a pair starting at or past the right edge ends the row.
 */
function fillPolygon(q: Float64Array, box: PixelBox, w: number, h: number, out: Uint8Array): void {
  const n = q.length >> 1;
  const xs = new Float64Array(n),
    ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = q[2 * i] - box[0];
    ys[i] = q[2 * i + 1] - box[1];
  }
  const nodes: number[] = [];
  for (let y = 0; y < h; y++) {
    nodes.length = 0;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const yi = ys[i],
        yj = ys[j];
      const crosses = (yi <= y && yj > y) || (yj <= y && yi > y) || (yi < y && yj >= y) || (yj < y && yi >= y) || (yi === yj && yi === y);
      if (!crosses) continue;
      const r = yj - yi;
      nodes.push(Math.trunc(r !== 0 ? xs[i] + ((y - yi) / r) * (xs[j] - xs[i]) : xs[i]));
    }
    nodes.sort((a, b) => a - b);
    for (let i = 0; i < nodes.length - 1;) {
      if (nodes[i] >= w) break;
      if (nodes[i] === nodes[i + 1] && i < nodes.length - 2) {
        i++;
        continue;
      }
      if (nodes[i + 1] >= 0) out.fill(1, y * w + Math.max(0, nodes[i]), y * w + Math.min(w - 1, nodes[i + 1]) + 1);
      i += 2;
    }
  }
}

/** Image size bounding the overlap (the toolkit passes it in every VOT2020+ analysis). */
export interface ImageSize {
  width: number;
  height: number;
}

/**
 * Overlap of two regions, optionally bounded by the image and with an ignore region. A union box one
 * pixel wide or high (two empty regions, two identical one-pixel regions) scores 1; a clipped box one
 * pixel wide or high scores 0; no pixel in either region scores 0.
 */
export function overlap(a: Region, b: Region, image?: ImageSize, ignore?: Region): number {
  const b1 = regionBounds(a),
    b2 = regionBounds(b);
  let box: PixelBox = [Math.min(b1[0], b2[0]), Math.min(b1[1], b2[1]), Math.max(b1[2], b2[2]), Math.max(b1[3], b2[3])];
  if (box[0] >= box[2] || box[1] >= box[3]) return 1;
  if (image) box = [Math.max(0, box[0]), Math.max(0, box[1]), Math.min(image.width - 1, box[2]), Math.min(image.height - 1, box[3])];
  if (box[0] >= box[2] || box[1] >= box[3]) return 0;
  const m1 = rasterize(a, box),
    m2 = rasterize(b, box);
  const skip = ignore ? rasterize(ignore, box) : undefined;
  let inter = 0,
    union = 0;
  for (let i = 0; i < m1.length; i++) {
    if (skip?.[i] || (m1[i] === 0 && m2[i] === 0)) continue;
    union++;
    if (m1[i] !== 0 && m2[i] !== 0) inter++;
  }
  return union > 0 ? inter / union : 0;
}

/**
 * The toolkit's `is_empty`, which decides whether a ground-truth frame takes part in the failure
 * rule: codes are empty, points are not, a rectangle is empty unless its unrounded width and height
 * are positive, a polygon when it has no extent, and a mask when its foreground's right or bottom
 * index in the patch is 0 (so a mask one pixel wide or high counts as empty).
 */
export function isEmpty(r: Region): boolean {
  switch (r.type) {
    case 'special':
      return true;
    case 'point':
      return false;
    case 'rectangle':
      return !(r.width > 0 && r.height > 0);
    case 'polygon': {
      const [l, t, rr, b] = extent(r.points);
      return !(rr - l > 0 && b - t > 0);
    }
    case 'mask': {
      const [, , right, bottom] = localBounds(r);
      return right === 0 || bottom === 0;
    }
  }
}

function extent(p: Float32Array): PixelBox {
  const b: PixelBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i < p.length; i += 2) {
    b[0] = Math.min(b[0], p[i]);
    b[2] = Math.max(b[2], p[i]);
    b[1] = Math.min(b[1], p[i + 1]);
    b[3] = Math.max(b[3], p[i + 1]);
  }
  return b;
}
