import { transposeFast } from './layout.ts';
import type { Tape } from './tape.ts';

/**
 * 2-D convolution without padding in G groups: x NCHW, the kernel in TensorFlow.js's layout
 * [kh, kw, C/G, O] (how the parameters are stored), so that the kernel's gradient comes out in that
 * layout too. The ONNX layout [O, C/G, kh, kw] is derived once per kernel and graph.
 *
 * Input gradient (skipped when the input needs none: the images' would be the most expensive
 * backward convolution, and nobody wants it):
 *  - stride 1: a padded convolution of dy with the kernel flipped in space and its channel axes
 *    swapped per group (ORT runs that at the forward's speed, its ConvTranspose at half of it);
 *  - stride > 1: ConvTranspose with the same kernel, with an output padding for the rows and
 *    columns the stride skipped.
 *
 * Weight gradient: dW[i, j, c, o] = sum over n, y, x of dy[n, o, y, x] x[n, c, s y + i, s x + j].
 *  - stride > 1: a convolution of the input with the batch as channels and dy as the kernel,
 *    dilated by the stride. The input is transposed to [C/G, G N, H, W] (each input channel of a
 *    group becomes one image whose channels are group-major (g, n)) and dy to [O, N, Ho, Wo]; a
 *    grouped convolution gives [C/G, O, kh', kw'], kh' exceeding kh by the rows the stride never
 *    reached. Used for conv1 (11x11 over 3 channels), where it runs at the forward's speed.
 *  - stride 1: the same as a convolution is a thin matrix product (output only kh x kw per image)
 *    that ORT runs at a third of the forward's speed, so instead one Gemm per group: the input's
 *    kh kw shifted windows [kh kw C/G, N Ho Wo] (slices of a channels-first copy, concatenated in
 *    whole blocks) times dY^T; Gemm's transB takes dY [O/G, N Ho Wo] as it comes, and the product
 *    [kh kw C/G, O/G] is already the tfjs layout.
 */
export interface ConvAttrs {
  stride: number;
  groups: number;
}

export function convOutput(h: number, k: number, stride: number): number {
  return Math.floor((h - k) / stride) + 1;
}

export function conv(t: Tape, x: string, w: string, { stride, groups }: ConvAttrs): string {
  const [n, c, h, wd] = t.shape(x);
  const [kh, kw, cg, o] = t.shape(w);
  if (cg * groups !== c || o % groups) throw new Error(`conv: input [${t.shape(x)}], kernel [${t.shape(w)}], ${groups} groups`);
  const [ho, wo] = [convOutput(h, kh, stride), convOutput(wd, kw, stride)];
  const oihw = t.memo(`oihw:${w}`, () => transposeFast(t.g, w, [kh, kw, cg, o], [3, 2, 0, 1]));
  const attrs = { strides: [stride, stride], group: groups, kernel_shape: [kh, kw] };
  const y = t.g.op('Conv', [x, oihw], attrs);
  return t.record(y, [n, o, ho, wo], [x, w], (dy, wants) => {
    let dx: string | undefined;
    if (wants[0] && stride === 1) {
      const flipped = t.memo(`flipped:${w}`, () => flippedKernel(t, w, [kh, kw, cg, o], groups));
      dx = t.g.op('Conv', [dy, flipped], { group: groups, kernel_shape: [kh, kw], pads: [kh - 1, kw - 1, kh - 1, kw - 1] });
    } else if (wants[0]) {
      const pad = [h - ((ho - 1) * stride + kh), wd - ((wo - 1) * stride + kw)];
      dx = t.g.op('ConvTranspose', [dy, oihw], { ...attrs, output_padding: pad });
    }
    if (!wants[1]) return [dx, undefined];
    const shapes = { x: [n, c, h, wd], k: [kh, kw, cg, o] };
    return [dx, stride === 1 ? weightGradientByWindows(t, x, dy, shapes, groups) : weightGradientByConv(t, x, dy, shapes, stride, groups)];
  });
}

/** [kh, kw, C/G, G O/G] -> [G C/G, O/G, kh, kw] reversed in space: the stride-1 input gradient's kernel. */
function flippedKernel(t: Tape, w: string, [kh, kw, cg, o]: number[], groups: number): string {
  const g = t.g;
  const reversed = g.op('Slice', [w, g.ints([-1, -1]), g.ints([-kh - 1, -kw - 1]), g.ints([0, 1]), g.ints([-1, -1])]);
  const split = g.op('Reshape', [reversed, g.ints([kh, kw, cg, groups, o / groups])]);
  const swapped = transposeFast(g, split, [kh, kw, cg, groups, o / groups], [3, 2, 4, 0, 1]);
  return g.op('Reshape', [swapped, g.ints([groups * cg, o / groups, kh, kw])]);
}

interface Shapes {
  x: number[];
  k: number[];
}

function weightGradientByConv(
  t: Tape,
  x: string,
  dy: string,
  { x: [n, , h, w], k: [kh, kw, cg, o] }: Shapes,
  stride: number,
  groups: number,
): string {
  const g = t.g;
  const images =
    groups === 1
      ? g.op('Transpose', [x], { perm: [1, 0, 2, 3] })
      : g.op('Reshape', [
          g.op('Transpose', [g.op('Reshape', [x, g.ints([n, groups, cg, h, w])])], { perm: [2, 1, 0, 3, 4] }),
          g.ints([cg, groups * n, h, w]),
        ]);
  const kernel = g.op('Transpose', [dy], { perm: [1, 0, 2, 3] });
  let dw = g.op('Conv', [images, kernel], { group: groups, dilations: [stride, stride] });
  const [ho, wo] = [convOutput(h, kh, stride), convOutput(w, kw, stride)];
  const [fh, fw] = [h - (ho - 1) * stride, w - (wo - 1) * stride];
  if (fh !== kh || fw !== kw) dw = g.op('Slice', [dw, g.ints([0, 0]), g.ints([kh, kw]), g.ints([2, 3])]);
  return transposeFast(g, dw, [cg, o, kh, kw], [2, 3, 0, 1]);
}

function weightGradientByWindows(t: Tape, x: string, dy: string, { x: [n, , h, w], k: [kh, kw, cg, o] }: Shapes, groups: number): string {
  const g = t.g;
  const [ho, wo] = [h - kh + 1, w - kw + 1];
  const og = o / groups;
  const k = n * ho * wo;
  const first = g.op('Transpose', [g.op('Reshape', [x, g.ints([n, groups, cg, h, w])])], { perm: [1, 2, 0, 3, 4] }); // [G, C/G, N, H, W]
  const grads = g.op('Reshape', [g.op('Transpose', [dy], { perm: [1, 0, 2, 3] }), g.ints([groups, og, k])]);
  const perGroup: string[] = [];
  for (let gi = 0; gi < groups; gi++) {
    const windows: string[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const win = g.op('Slice', [first, g.ints([gi, i, j]), g.ints([gi + 1, i + ho, j + wo]), g.ints([0, 3, 4])]);
        windows.push(g.op('Reshape', [win, g.ints([cg, k])]));
      }
    }
    const cols = windows.length === 1 ? windows[0] : g.op('Concat', windows, { axis: 0 });
    const dyg = g.op('Reshape', [g.op('Slice', [grads, g.ints([gi]), g.ints([gi + 1]), g.ints([0])]), g.ints([og, k])]);
    perGroup.push(g.op('Gemm', [cols, dyg], { transB: 1 })); // [kh kw C/G, O/G]
  }
  const dw = perGroup.length === 1 ? perGroup[0] : g.op('Concat', perGroup, { axis: 1 });
  return g.op('Reshape', [dw, g.ints([kh, kw, cg, o])]);
}

/** x [N, C, H, W] + b [C] per channel; db sums dy over the batch and the positions. */
export function biasAdd(t: Tape, x: string, b: string): string {
  const s = t.shape(x);
  const y = t.g.op('Add', [x, t.g.op('Reshape', [b, t.g.ints([1, s[1], 1, 1])])]);
  return t.record(y, s, [x, b], (dy) => [dy, t.g.op('ReduceSum', [dy, t.g.ints([0, 2, 3])], { keepdims: 0 })]);
}
