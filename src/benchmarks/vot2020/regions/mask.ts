import { type Mask, type PixelBox, mask } from './types.ts';

/**
 * Run-length code of a mask patch as the VOT toolkit and TraX write it: row-major over the
 * width x height patch, runs alternating background / foreground, starting with background (a first
 * run of 0 when the first pixel is set).
 */
export function decodeRuns(width: number, height: number, runs: readonly number[]): Uint8Array {
  const data = new Uint8Array(width * height);
  let at = 0;
  for (let i = 0; i < runs.length; i++) {
    const end = at + runs[i];
    if (end > data.length) throw new RangeError(`the runs cover ${runs.reduce((s, r) => s + r, 0)} pixels, the patch ${data.length}`);
    if (i % 2 === 1) data.fill(1, at, end);
    at = end;
  }
  return data;
}

/** Every run, the last background run included (VOT files); TraX leaves that last one out. */
export function encodeRuns(data: Uint8Array): number[] {
  const runs: number[] = [];
  let value = 0,
    count = 0;
  for (const v of data) {
    if (v === value) count++;
    else {
      runs.push(count);
      value = v;
      count = 1;
    }
  }
  if (count > 0) runs.push(count);
  return runs;
}

/**
 * The foreground's inclusive box in patch coordinates, or [0, 0, 0, 0] when there is none: the
 * toolkit's `mask_bounds`, whose zero box for an empty mask its emptiness tests rely on.
 */
export function localBounds(m: Mask): PixelBox {
  let left = Infinity,
    top = Infinity,
    right = -1,
    bottom = -1;
  for (let r = 0; r < m.height; r++) {
    const row = r * m.width;
    for (let c = 0; c < m.width; c++) {
      if (m.data[row + c] === 0) continue;
      if (c < left) left = c;
      if (c > right) right = c;
      if (top === Infinity) top = r;
      bottom = r;
    }
  }
  return right < 0 ? [0, 0, 0, 0] : [left, top, right, bottom];
}

export const EMPTY_MASK: Mask = mask(0, 0, 0, 0, new Uint8Array(0));

/**
 * The toolkit crops a mask read from text to its foreground. Its emptiness check looks only at the
 * foreground's right edge, so a mask whose foreground lies only in the patch's first column becomes
 * the empty zero-size mask at (0, 0), as one with no foreground does. Binary masks are not tightened.
 */
export function tighten(m: Mask): Mask {
  const [left, top, right, bottom] = localBounds(m);
  if (right === 0) return EMPTY_MASK;
  const w = right - left + 1,
    h = bottom - top + 1;
  const data = new Uint8Array(w * h);
  for (let r = 0; r < h; r++) data.set(m.data.subarray((top + r) * m.width + left, (top + r) * m.width + right + 1), r * w);
  return mask(m.x + left, m.y + top, w, h, data);
}
