import type { Tape } from './tape.ts';

/**
 * 2-D convolution without padding, NCHW, weight [O, C/G, kh, kw] (ONNX's layout), in G groups.
 *
 * Input gradient: the transposed convolution of dy with the same weight (ConvTranspose), with an
 * output padding for the rows and columns a stride skipped. Skipped when the input needs no
 * gradient: the images' gradient is the most expensive backward convolution and nobody wants it.
 *
 * Weight gradient: dW[o, c, i, j] = sum over n, y, x of dy[n, o, y, x] x[n, c, s y + i, s x + j], a
 * convolution of the input with the batch as channels and dy as the kernel, dilated by the stride.
 * The input is transposed to [C/G, G N, H, W] (each of the C/G input channels of a group becomes
 * one image whose channels are group-major (g, n)) and dy to [O, N, Ho, Wo]; a grouped convolution
 * then gives [C/G, O, kh', kw'], where kh' exceeds kh by the rows the stride never reached.
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
  const [o, cg, kh, kw] = t.shape(w);
  if (cg * groups !== c || o % groups) throw new Error(`conv: input [${t.shape(x)}], weight [${t.shape(w)}], ${groups} groups`);
  const [ho, wo] = [convOutput(h, kh, stride), convOutput(wd, kw, stride)];
  const attrs = { strides: [stride, stride], group: groups, kernel_shape: [kh, kw] };
  const y = t.g.op('Conv', [x, w], attrs);
  return t.record(y, [n, o, ho, wo], [x, w], (dy, wants) => {
    const pad = [h - ((ho - 1) * stride + kh), wd - ((wo - 1) * stride + kw)];
    const dx = wants[0] ? t.g.op('ConvTranspose', [dy, w], { ...attrs, output_padding: pad }) : undefined;
    return [dx, wants[1] ? weightGradient(t, x, dy, [n, c, h, wd], [o, cg, kh, kw], stride, groups) : undefined];
  });
}

function weightGradient(t: Tape, x: string, dy: string, [n, , h, w]: number[], [, cg, kh, kw]: number[], stride: number, groups: number): string {
  const g = t.g;
  const images = groups === 1
    ? g.op('Transpose', [x], { perm: [1, 0, 2, 3] })
    : g.op('Reshape', [g.op('Transpose', [g.op('Reshape', [x, g.ints([n, groups, cg, h, w])])], { perm: [2, 1, 0, 3, 4] }), g.ints([cg, groups * n, h, w])]);
  const kernel = g.op('Transpose', [dy], { perm: [1, 0, 2, 3] });
  let dw = g.op('Conv', [images, kernel], { group: groups, dilations: [stride, stride] });
  const [ho, wo] = [convOutput(h, kh, stride), convOutput(w, kw, stride)];
  const [fh, fw] = [h - (ho - 1) * stride, w - (wo - 1) * stride];
  if (fh !== kh || fw !== kw) dw = g.op('Slice', [dw, g.ints([0, 0]), g.ints([kh, kw]), g.ints([2, 3])]);
  return g.op('Transpose', [dw], { perm: [1, 0, 2, 3] });
}

/** x [N, C, H, W] + b [C] per channel; db sums dy over the batch and the positions. */
export function biasAdd(t: Tape, x: string, b: string): string {
  const s = t.shape(x);
  const y = t.g.op('Add', [x, t.g.op('Reshape', [b, t.g.ints([1, s[1], 1, 1])])]);
  return t.record(y, s, [x, b], (dy) => [dy, t.g.op('ReduceSum', [dy, t.g.ints([0, 2, 3])], { keepdims: 0 })]);
}
