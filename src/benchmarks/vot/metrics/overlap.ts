import { type ImageBox, imageBox } from '../../../core/types.ts';
import type { VotRegion } from '../dataset/types.ts';

/**
 * VOT region overlap as the toolkits' C region code (trax `region.c`, `compute_polygon_overlap`)
 * computes it: both regions become polygons, are rasterised on a common pixel grid spanning their
 * (optionally image-bounded) bounding boxes, and overlap = |A and B| / |A or B| in pixels. It is not
 * analytic IoU. Coordinates are held in float32 and every float operation is rounded like C does, so
 * node positions (truncated to int) land on the same pixels as in the toolkit.
 *
 * Two rasterisations exist in that code:
 * - 'legacy' (REGION_LEGACY_RASTERIZATION; the MATLAB toolkit passes 'legacy' by default): a scanline
 *   fill of half-open pixel spans between edge crossings at integer rows.
 * - 'rounded' (the flag cleared; what pysot's bundled region.c runs, since it never sets the flag):
 *   vertices and bounds rounded to integers first, spans filled inclusively.
 */
export type Rasterization = 'legacy' | 'rounded';

/** left/top/right/bottom in image coordinates; regions are clipped to it before rasterising. */
export interface Bounds {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export const NO_BOUNDS: Bounds = { left: -Infinity, top: -Infinity, right: Infinity, bottom: Infinity };

/** Bounds [0, w] x [0, h] shrunk by `inset` (the toolkits pass w-1, h-1 for EAO, w, h for accuracy). */
export function imageBounds(width: number, height: number, inset = 0): Bounds {
  return { left: 0, top: 0, right: width - inset, bottom: height - inset };
}

const f = Math.fround;

interface Poly {
  x: Float32Array;
  y: Float32Array;
}

/** Rectangles become the corners (x,y), (x+w,y), (x+w,y+h), (x,y+h), as pysot and the MATLAB mex build them. */
function regionPolygon(r: VotRegion): Poly {
  if (r.length === 4) {
    const [x, y, w, h] = r;
    return { x: Float32Array.of(x, x + w, x + w, x), y: Float32Array.of(y, y, y + h, y + h) };
  }
  const n = r.length >> 1;
  const p = { x: new Float32Array(n), y: new Float32Array(n) };
  for (let i = 0; i < n; i++) {
    p.x[i] = r[2 * i];
    p.y[i] = r[2 * i + 1];
  }
  return p;
}

function polyBounds(p: Poly, rounded: boolean): Bounds {
  let left = Infinity,
    top = Infinity,
    right = -Infinity,
    bottom = -Infinity;
  for (let i = 0; i < p.x.length; i++) {
    left = Math.min(left, p.x[i]);
    right = Math.max(right, p.x[i]);
    top = Math.min(top, p.y[i]);
    bottom = Math.max(bottom, p.y[i]);
  }
  if (rounded) return { left: Math.floor(left), top: Math.floor(top), right: Math.ceil(right), bottom: Math.ceil(bottom) };
  return { left, top, right, bottom };
}

function intersect(a: Bounds, b: Bounds): Bounds {
  return {
    left: f(Math.max(a.left, b.left)),
    top: f(Math.max(a.top, b.top)),
    right: f(Math.min(a.right, b.right)),
    bottom: f(Math.min(a.bottom, b.bottom)),
  };
}

/** C `round`: half away from zero. */
const cround = (v: number): number => (v < 0 ? -Math.floor(-v + 0.5) : Math.floor(v + 0.5));

/** Scratch buffers reused across rows and calls: overlap is called once per frame, tens of thousands of times. */
interface Scratch {
  nodes: Int32Array;
  s1: Int32Array;
  s2: Int32Array;
}

function scratch(n: number, prev?: Scratch): Scratch {
  if (prev && prev.nodes.length >= n) return prev;
  return { nodes: new Int32Array(n), s1: new Int32Array(n + 2), s2: new Int32Array(n + 2) };
}

let shared = scratch(16);

/**
 * Filled spans [start, end) of one pixel row into `out`, merged and sorted; returns the count of
 * numbers written (2 per span). Reproduces the toolkit's node list, its sort, the span clamping
 * (including the legacy quirk that a span running past the right edge stops one pixel short) and the
 * early `break` at the right edge.
 */
function rowSpans(p: Poly, row: number, width: number, rounded: boolean, nodes: Int32Array, out: Int32Array): number {
  const count = edgeCrossings(p, row, rounded, nodes);
  sortNodes(nodes, count);
  return spansBetween(nodes, count, width, rounded, out);
}

/** The x of each polygon edge crossing the row (truncated to a pixel) into `nodes`; returns how many. */
function edgeCrossings(p: Poly, row: number, rounded: boolean, nodes: Int32Array): number {
  const n = p.x.length;
  let count = 0;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const yi = p.y[i],
      yj = p.y[j];
    if (!rounded) {
      if ((yi < row && yj >= row) || (yj < row && yi >= row)) {
        nodes[count++] = Math.trunc(f(p.x[i] + f(f(f(row - yi) / f(yj - yi)) * f(p.x[j] - p.x[i]))));
      }
    } else {
      const iy = Math.trunc(yi),
        jy = Math.trunc(yj);
      if (
        (iy <= row && jy > row) ||
        (jy <= row && iy > row) ||
        (iy < row && jy >= row) ||
        (jy < row && iy >= row) ||
        (iy === jy && iy === row)
      ) {
        const r = f(yj - yi);
        const k = f(p.x[j] - p.x[i]);
        if (r !== 0) nodes[count++] = Math.trunc(p.x[i] + (f(row - yi) / r) * k);
      }
    }
  }
  return count;
}

/** Insertion sort: a row crosses a handful of edges. */
function sortNodes(nodes: Int32Array, count: number): void {
  for (let i = 1; i < count; i++) {
    const v = nodes[i];
    let j = i - 1;
    for (; j >= 0 && nodes[j] > v; j--) nodes[j + 1] = nodes[j];
    nodes[j + 1] = v;
  }
}

/** Pairs of sorted crossings as spans inside [0, width), each toolkit with its own edge rules. */
function spansBetween(nodes: Int32Array, count: number, width: number, rounded: boolean, out: Int32Array): number {
  let m = 0;
  if (!rounded) {
    for (let i = 0; i + 1 < count; i += 2) {
      let a = nodes[i],
        b = nodes[i + 1];
      if (a >= width) break;
      if (b > 0) {
        if (a < 0) a = 0;
        if (b > width) b = width - 1;
        if (b > a) m = pushSpan(out, m, a, b);
      }
    }
  } else {
    let i = 0;
    while (i < count - 1) {
      if (nodes[i] === nodes[i + 1]) {
        i++;
        continue;
      }
      let a = nodes[i],
        b = nodes[i + 1];
      if (a >= width) break;
      if (b >= 0) {
        if (a < 0) a = 0;
        if (b >= width) b = width - 1;
        m = pushSpan(out, m, a, b + 1);
      }
      i += 2;
    }
  }
  return m;
}

/** Spans arrive sorted by start; a span touching or overlapping the previous one extends it. */
function pushSpan(out: Int32Array, m: number, a: number, b: number): number {
  if (m > 0 && a <= out[m - 1]) {
    if (b > out[m - 1]) out[m - 1] = b;
    return m;
  }
  out[m] = a;
  out[m + 1] = b;
  return m + 2;
}

function spanLength(s: Int32Array, m: number): number {
  let n = 0;
  for (let i = 0; i < m; i += 2) n += s[i + 1] - s[i];
  return n;
}

function spanIntersection(a: Int32Array, ma: number, b: Int32Array, mb: number): number {
  let n = 0,
    i = 0,
    j = 0;
  while (i < ma && j < mb) {
    const lo = Math.max(a[i], b[j]),
      hi = Math.min(a[i + 1], b[j + 1]);
    if (hi > lo) n += hi - lo;
    if (a[i + 1] < b[j + 1]) i += 2;
    else j += 2;
  }
  return n;
}

function offset(p: Poly, dx: number, dy: number, rounded: boolean): Poly {
  const q = { x: new Float32Array(p.x.length), y: new Float32Array(p.y.length) };
  for (let i = 0; i < p.x.length; i++) {
    q.x[i] = rounded ? cround(f(p.x[i] + dx)) : p.x[i] + dx;
    q.y[i] = rounded ? cround(f(p.y[i] + dy)) : p.y[i] + dy;
  }
  return q;
}

/**
 * Overlap of two regions (rectangles or polygons). Returns 0 when either region lies outside the
 * bounds or is degenerate against a proper one, and NaN when both are empty (0 / 0, as the C code).
 */
export function votOverlap(a: VotRegion, b: VotRegion, bounds: Bounds = NO_BOUNDS, mode: Rasterization = 'legacy'): number {
  const rounded = mode === 'rounded';
  const p1 = regionPolygon(a),
    p2 = regionPolygon(b);
  const b1 = intersect(polyBounds(p1, rounded), bounds);
  const b2 = intersect(polyBounds(p2, rounded), bounds);
  const x = f(Math.min(b1.left, b2.left));
  const y = f(Math.min(b1.top, b2.top));
  const width = Math.trunc(f(Math.max(b1.right, b2.right) - x)) + 1;
  const height = Math.trunc(f(Math.max(b1.bottom, b2.bottom) - y)) + 1;
  const a1 = f(f(b1.right - b1.left) * f(b1.bottom - b1.top));
  const a2 = f(f(b2.right - b2.left) * f(b2.bottom - b2.top));
  if (a1 / a2 < 1e-10 || a2 / a1 < 1e-10 || width < 1 || height < 1) return 0;
  // The toolkit skips rasterising when the bounding boxes do not overlap in at least one axis.
  const bi = intersect(b1, b2);
  const inter = f(f(bi.right - bi.left) * f(bi.bottom - bi.top));
  if (f(inter / f(f(a1 + a2) - inter)) <= 0) return 0;

  const o1 = offset(p1, -x, -y, rounded),
    o2 = offset(p2, -x, -y, rounded);
  const sc = (shared = scratch(Math.max(o1.x.length, o2.x.length) + 2, shared));
  let area1 = 0,
    area2 = 0,
    both = 0;
  for (let row = 0; row < height; row++) {
    const m1 = rowSpans(o1, row, width, rounded, sc.nodes, sc.s1);
    const m2 = rowSpans(o2, row, width, rounded, sc.nodes, sc.s2);
    area1 += spanLength(sc.s1, m1);
    area2 += spanLength(sc.s2, m2);
    if (m1 && m2) both += spanIntersection(sc.s1, m1, sc.s2, m2);
  }
  return f(both / (area1 + area2 - both));
}

/** Area-free helper for callers that only need the axis-aligned box of a region (x, y, w, h). */
export function regionBox(r: VotRegion): ImageBox {
  if (r.length === 4) return imageBox([r[0], r[1], r[2], r[3]]);
  let left = Infinity,
    top = Infinity,
    right = -Infinity,
    bottom = -Infinity;
  for (let i = 0; i < r.length; i += 2) {
    left = Math.min(left, r[i]);
    right = Math.max(right, r[i]);
    top = Math.min(top, r[i + 1]);
    bottom = Math.max(bottom, r[i + 1]);
  }
  return imageBox([left, top, right - left, bottom - top]);
}
