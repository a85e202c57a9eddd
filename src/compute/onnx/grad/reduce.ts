import { type Shape, type Tape, size } from './tape.ts';

/**
 * Reductions the losses use: mean, population variance, max and min over some axes (all axes when
 * `axes` is omitted), with or without the reduced axes kept.
 *
 * Tie rule of max and min: every position equal to the extreme receives the full upstream gradient,
 * as TensorFlow.js's max/min gradients do (dy * (x == y)). It is not a subgradient when ties exist
 * (k tied cells pass k times the gradient) but it makes both engines train identically; exact ties
 * among scores are rare except where sigmoid saturates to exactly 0 or 1, and there the sigmoid's
 * own derivative s (1 - s) is 0, so nothing flows either way.
 */

interface Reduced {
  axes: number[];
  /** Shape with the reduced axes kept as 1, for broadcasting the gradient back. */
  kept: Shape;
  out: Shape;
  count: number;
}

function reduced(s: Shape, axes: number[] | undefined, keepdims: boolean): Reduced {
  const ax = (axes ?? s.map((_, i) => i)).map((a) => (a < 0 ? a + s.length : a));
  const kept = s.map((d, i) => (ax.includes(i) ? 1 : d));
  const out = keepdims ? kept : s.filter((_, i) => !ax.includes(i));
  return { axes: ax, kept, out, count: size(s) / size(kept) };
}

/** dy of the reduced shape, reshaped so that it broadcasts over x. */
function spread(t: Tape, dy: string, r: Reduced): string {
  return t.g.op('Reshape', [dy, t.g.ints(r.kept)]);
}

export function reduceMean(t: Tape, x: string, axes?: number[], keepdims = false): string {
  const s = t.shape(x);
  const r = reduced(s, axes, keepdims);
  const y = t.g.op('ReduceMean', [x], { axes: r.axes, keepdims: keepdims ? 1 : 0 });
  return t.record(y, r.out, [x], (dy) => [t.g.op('Expand', [t.g.op('Mul', [spread(t, dy, r), t.g.constant(1 / r.count)]), t.g.ints(s)])]);
}

/**
 * Population variance mean((x - mean(x))^2). Its gradient 2 (x - mean) / n has no term through the
 * mean because the deviations sum to zero.
 */
export function reduceVariance(t: Tape, x: string, axes?: number[], keepdims = false): string {
  const s = t.shape(x);
  const r = reduced(s, axes, keepdims);
  const d = t.g.op('Sub', [x, t.g.op('ReduceMean', [x], { axes: r.axes, keepdims: 1 })]);
  const y = t.g.op('ReduceMean', [t.g.op('Mul', [d, d])], { axes: r.axes, keepdims: keepdims ? 1 : 0 });
  return t.record(y, r.out, [x], (dy) => [t.g.op('Mul', [d, t.g.op('Mul', [spread(t, dy, r), t.g.constant(2 / r.count)])])]);
}

function extreme(op: 'ReduceMax' | 'ReduceMin', t: Tape, x: string, axes: number[] | undefined, keepdims: boolean): string {
  const s = t.shape(x);
  const r = reduced(s, axes, keepdims);
  const y = t.g.op(op, [x], { axes: r.axes, keepdims: keepdims ? 1 : 0 });
  return t.record(y, r.out, [x], (dy) => {
    const yk = keepdims ? y : t.g.op('Reshape', [y, t.g.ints(r.kept)]);
    const at = t.g.op('Equal', [x, yk]);
    return [t.g.op('Where', [at, t.g.op('Expand', [spread(t, dy, r), t.g.ints(s)]), t.g.constant(0)])];
  });
}

export const reduceMax = (t: Tape, x: string, axes?: number[], keepdims = false) => extreme('ReduceMax', t, x, axes, keepdims);
export const reduceMin = (t: Tape, x: string, axes?: number[], keepdims = false) => extreme('ReduceMin', t, x, axes, keepdims);

/**
 * log(sum(exp(x))) over some axes, the smooth maximum of the global loss's soft hard-sample term.
 * Computed as m + log(sum(exp(x - m))) with m the maximum, so that no exp overflows (the loss feeds
 * it scores divided by a small temperature). m carries no gradient of its own: the derivative of
 * the whole is exactly softmax(x) = exp(x - y) whatever m is, so the backward is that times the
 * upstream gradient (TensorFlow.js's logSumExp differentiates through its max as well, which adds
 * (1 - sum softmax) dy at the maximum: zero up to rounding).
 */
export function reduceLogSumExp(t: Tape, x: string, axes?: number[], keepdims = false): string {
  const s = t.shape(x);
  const r = reduced(s, axes, keepdims);
  const m = t.g.op('ReduceMax', [x], { axes: r.axes, keepdims: 1 });
  const e = t.g.op('Exp', [t.g.op('Sub', [x, m])]);
  const sum = t.g.op('ReduceSum', [e, t.g.ints(r.axes)], { keepdims: 1 });
  const yk = t.g.op('Add', [m, t.g.op('Log', [sum])]);
  const y = keepdims ? yk : t.g.op('Reshape', [yk, t.g.ints(r.out)]);
  // The weights as exp(x - m) / sum rather than exp(x - y): y rounds at its own magnitude (6e-5 at
  // 1000), which x - y would carry into every weight.
  return t.record(y, r.out, [x], (dy) => [t.g.op('Mul', [t.g.op('Div', [e, sum]), spread(t, dy, r)])]);
}
