import type { Tape } from './tape.ts';

/**
 * Cross-correlation of paired batches: r[n, 0] = sum over c of z[n, c] (*) x[n, c], every exemplar
 * against its own search only. Forward: the searches folded into one image of N C channels and
 * the exemplars as the kernel of a convolution in N groups.
 *   dz[n, c] = dr[n] (*) x[n, c]: a depthwise convolution of the same folded image with dr repeated
 *     over each sample's channels.
 *   dx[n, c] = dr[n] transposed-convolved with z[n, c]: ConvTranspose in N groups.
 */
export function xcorrPairs(t: Tape, z: string, x: string): string {
  const g = t.g;
  const [n, c, hz, wz] = t.shape(z);
  const [nx, cx, h, w] = t.shape(x);
  if (n !== nx || c !== cx) throw new Error(`xcorrPairs: exemplars [${t.shape(z)}], searches [${t.shape(x)}]`);
  const [ho, wo] = [h - hz + 1, w - wz + 1];
  const folded = g.op('Reshape', [x, g.ints([1, n * c, h, w])]);
  const r = g.op('Reshape', [g.op('Conv', [folded, z], { group: n }), g.ints([n, 1, ho, wo])]);
  return t.record(r, [n, 1, ho, wo], [z, x], (dr, wants) => {
    let dz: string | undefined;
    let dx: string | undefined;
    if (wants[0]) {
      const kernel = g.op('Reshape', [g.op('Expand', [dr, g.ints([n, c, ho, wo])]), g.ints([n * c, 1, ho, wo])]);
      dz = g.op('Reshape', [g.op('Conv', [folded, kernel], { group: n * c }), g.ints([n, c, hz, wz])]);
    }
    if (wants[1]) {
      const grads = g.op('ConvTranspose', [g.op('Reshape', [dr, g.ints([1, n, ho, wo])]), z], { group: n });
      dx = g.op('Reshape', [grads, g.ints([n, c, h, w])]);
    }
    return [dz, dx];
  });
}
