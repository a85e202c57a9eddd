import type { RgbImage } from './decode.ts';

/** Mean colour of a frame: SiamFC pads crops that leave the image with it. */
export function meanColour(img: RgbImage): [number, number, number] {
  const sum = [0, 0, 0];
  const d = img.data;
  for (let i = 0; i < d.length; i += 3) {
    sum[0] += d[i];
    sum[1] += d[i + 1];
    sum[2] += d[i + 2];
  }
  const n = Math.max(1, d.length / 3);
  return [sum[0] / n, sum[1] / n, sum[2] / n];
}

/**
 * Writes a size x size RGB crop (float 0..255) into out[offset ..]: output pixel u samples the frame
 * at index coordinate x0 + u * step (pixel i's centre at i), likewise in y.
 */
export function samplePatch(
  img: RgbImage, fill: readonly number[], out: Float32Array, offset: number, size: number,
  x0: number, y0: number, step: number,
): void {
  const { width: W, height: H, data } = img;
  let o = offset;
  for (let v = 0; v < size; v++) {
    const fy = y0 + v * step;
    const iy = Math.floor(fy);
    const wy = fy - iy;
    const inY0 = iy >= 0 && iy < H;
    const inY1 = iy + 1 >= 0 && iy + 1 < H;
    for (let u = 0; u < size; u++) {
      const fx = x0 + u * step;
      const ix = Math.floor(fx);
      const wx = fx - ix;
      const inX0 = ix >= 0 && ix < W;
      const inX1 = ix + 1 >= 0 && ix + 1 < W;
      // Index of each of the four taps, or -1 where it falls outside and takes the fill colour.
      const a = inY0 && inX0 ? (iy * W + ix) * 3 : -1;
      const b = inY0 && inX1 ? (iy * W + ix + 1) * 3 : -1;
      const c = inY1 && inX0 ? ((iy + 1) * W + ix) * 3 : -1;
      const d = inY1 && inX1 ? ((iy + 1) * W + ix + 1) * 3 : -1;
      const wa = (1 - wx) * (1 - wy);
      const wb = wx * (1 - wy);
      const wc = (1 - wx) * wy;
      const wd = wx * wy;
      for (let k = 0; k < 3; k++) {
        const f = fill[k];
        out[o++] =
          (a >= 0 ? data[a + k] : f) * wa + (b >= 0 ? data[b + k] : f) * wb +
          (c >= 0 ? data[c + k] : f) * wc + (d >= 0 ? data[d + k] : f) * wd;
      }
    }
  }
}
