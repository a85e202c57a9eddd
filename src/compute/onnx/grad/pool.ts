import type { Tape } from './tape.ts';
import { convOutput } from './conv.ts';

/**
 * Max pooling without padding. The forward MaxPool's second output holds, for every output cell,
 * the index of its maximum in the flattened input (batch and channels included), so the backward
 * scatters dy there with ScatterElements(reduction = add): overlapping windows that share a maximum
 * add up. Which of several equal values ORT indexes does not matter for parameter gradients:
 * exactly one receives the gradient, and equal values in one window come from identical inputs
 * (zeros after a ReLU, the constant colour crops are padded with), so any choice gives the same
 * weight gradients.
 *
 * Measured alternative: plain MaxPool (5-7 times faster than with Indices) and a backward from
 * strided Slices, ArgMax and a one-hot ConvTranspose; its extra passes cost more than it saved.
 */
export function maxPool(t: Tape, x: string, kernel: number, stride: number): string {
  const [n, c, h, w] = t.shape(x);
  const attrs = { kernel_shape: [kernel, kernel], strides: [stride, stride] };
  const out = [n, c, convOutput(h, kernel, stride), convOutput(w, kernel, stride)];
  // Without a gradient to route (inference, batch statistics) the plain MaxPool is much faster.
  if (!t.needsGrad(x)) return t.known(t.g.op('MaxPool', [x], attrs), out);
  const [y, indices] = t.g.node('MaxPool', [x], attrs, 2);
  return t.record(y, out, [x], (dy) => {
    const g = t.g;
    const flat = g.op('Reshape', [indices, g.ints([1, -1])]);
    const zeros = g.op('ConstantOfShape', [g.ints([1, n * c * h * w])]);
    const dx = g.op('ScatterElements', [zeros, flat, g.op('Reshape', [dy, g.ints([1, -1])])], { axis: 1, reduction: 'add' });
    return [g.op('Reshape', [dx, g.ints([n, c, h, w])])];
  });
}
