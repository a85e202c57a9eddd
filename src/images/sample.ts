import type { RgbImage } from './decode.ts';

/** Mean colour of a frame: SiamFC pads crops that leave the image with it. */
export function meanColour(img: RgbImage): [number, number, number] {
  let r = 0;
  let g = 0;
  let b = 0;
  const d = img.data;
  for (let i = 0; i < d.length; i += 3) {
    r += d[i];
    g += d[i + 1];
    b += d[i + 2];
  }
  const n = Math.max(1, d.length / 3);
  return [r / n, g / n, b / n];
}

/**
 * The two bilinear taps of each output position along one axis: sample u reads index
 * floor(c0 + u * step) (offset `lo`, or -1 outside) and the next one (`hi`), with weight `w` on the
 * second. Samples lo..end (exclusive) have both taps inside, a contiguous run since the
 * coordinates grow with u.
 */
interface AxisTaps {
  lo: Int32Array;
  hi: Int32Array;
  w: Float64Array;
  first: number;
  end: number;
}

function axisTaps(c0: number, step: number, size: number, length: number, stride: number): AxisTaps {
  const lo = new Int32Array(size);
  const hi = new Int32Array(size);
  const w = new Float64Array(size);
  let first = size;
  let end = 0;
  for (let u = 0; u < size; u++) {
    const f = c0 + u * step;
    const i = Math.floor(f);
    w[u] = f - i;
    lo[u] = i >= 0 && i < length ? i * stride : -1;
    hi[u] = i + 1 >= 0 && i + 1 < length ? (i + 1) * stride : -1;
    if (lo[u] >= 0 && hi[u] >= 0) {
      first = Math.min(first, u);
      end = u + 1;
    }
  }
  return { lo, hi, w, first: Math.min(first, end), end };
}

/** A row above or below the frame: every tap is the fill colour (crops of large targets have many such rows). */
function fillRow(out: Float32Array, row: number, size: number, xw: Float64Array, wy: number, fill: readonly number[]): void {
  const [f0, f1, f2] = fill;
  const wy0 = 1 - wy;
  for (let u = 0, o = row; u < size; u++, o += 3) {
    const wx = xw[u];
    const wa = (1 - wx) * wy0;
    const wb = wx * wy0;
    const wc = (1 - wx) * wy;
    const wd = wx * wy;
    out[o] = f0 * wa + f0 * wb + f0 * wc + f0 * wd;
    out[o + 1] = f1 * wa + f1 * wb + f1 * wc + f1 * wd;
    out[o + 2] = f2 * wa + f2 * wb + f2 * wc + f2 * wd;
  }
}

/**
 * A row that meets the frame: the pixels whose four taps are all inside ([first, end) of a row
 * inside the frame) on the fast path, the others with a fill test per tap.
 */
function sampleRow(
  data: RgbImage['data'],
  fill: readonly number[],
  out: Float32Array,
  row: number,
  size: number,
  xs: AxisTaps,
  ra: number,
  rc: number,
  wy: number,
  inside: boolean,
): void {
  const [f0, f1, f2] = fill;
  const { lo: xlo, hi: xhi, w: xw, first, end } = xs;
  const wy0 = 1 - wy;
  for (let u = 0; u < size; u++) {
    if (inside && u === first) {
      // Integer arithmetic on indices (| 0) spares V8 an overflow check per tap in this hot loop.
      for (let o = (row + u * 3) | 0; u < end; u++, o = (o + 3) | 0) {
        const wx = xw[u];
        const wa = (1 - wx) * wy0;
        const wb = wx * wy0;
        const wc = (1 - wx) * wy;
        const wd = wx * wy;
        const a = (ra + xlo[u]) | 0;
        const c = (rc + xlo[u]) | 0;
        out[o] = data[a] * wa + data[(a + 3) | 0] * wb + data[c] * wc + data[(c + 3) | 0] * wd;
        out[(o + 1) | 0] = data[(a + 1) | 0] * wa + data[(a + 4) | 0] * wb + data[(c + 1) | 0] * wc + data[(c + 4) | 0] * wd;
        out[(o + 2) | 0] = data[(a + 2) | 0] * wa + data[(a + 5) | 0] * wb + data[(c + 2) | 0] * wc + data[(c + 5) | 0] * wd;
      }
      if (u === size) break;
    }
    // Some tap is outside: -1 marks a tap that takes the fill colour.
    const xa = xlo[u];
    const xb = xhi[u];
    const wx = xw[u];
    const a = ra >= 0 && xa >= 0 ? ra + xa : -1;
    const b = ra >= 0 && xb >= 0 ? ra + xb : -1;
    const c = rc >= 0 && xa >= 0 ? rc + xa : -1;
    const d = rc >= 0 && xb >= 0 ? rc + xb : -1;
    const wa = (1 - wx) * wy0;
    const wb = wx * wy0;
    const wc = (1 - wx) * wy;
    const wd = wx * wy;
    const o = row + u * 3;
    out[o] = (a >= 0 ? data[a] : f0) * wa + (b >= 0 ? data[b] : f0) * wb + (c >= 0 ? data[c] : f0) * wc + (d >= 0 ? data[d] : f0) * wd;
    out[o + 1] =
      (a >= 0 ? data[a + 1] : f1) * wa +
      (b >= 0 ? data[b + 1] : f1) * wb +
      (c >= 0 ? data[c + 1] : f1) * wc +
      (d >= 0 ? data[d + 1] : f1) * wd;
    out[o + 2] =
      (a >= 0 ? data[a + 2] : f2) * wa +
      (b >= 0 ? data[b + 2] : f2) * wb +
      (c >= 0 ? data[c + 2] : f2) * wc +
      (d >= 0 ? data[d + 2] : f2) * wd;
  }
}

/**
 * Writes a size x size RGB crop (float 0..255) into out[offset ..]: output pixel u samples the frame
 * at index coordinate x0 + u * step (pixel i's centre at i), likewise in y. Taps outside the frame
 * take the fill colour. Crops are the tracker's hottest loop after the network, so tap positions are
 * computed once per row and column and the pixels whose four taps are all inside skip the fill
 * tests; every pixel is the same expression in the same order either way, so results do not
 * depend on which path produced them.
 */
export function samplePatch(
  img: RgbImage,
  fill: readonly number[],
  out: Float32Array,
  offset: number,
  size: number,
  x0: number,
  y0: number,
  step: number,
): void {
  const { width: W, height: H, data } = img;
  const xs = axisTaps(x0, step, size, W, 3);
  const ys = axisTaps(y0, step, size, H, W * 3);
  for (let v = 0; v < size; v++) {
    const ra = ys.lo[v];
    const rc = ys.hi[v];
    const wy = ys.w[v];
    const inside = ra >= 0 && rc >= 0;
    const row = offset + v * size * 3;
    if (ra < 0 && rc < 0) fillRow(out, row, size, xs.w, wy, fill);
    else sampleRow(data, fill, out, row, size, xs, ra, rc, wy, inside);
  }
}
