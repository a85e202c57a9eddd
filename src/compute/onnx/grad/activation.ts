import type { Tape } from './tape.ts';

/**
 * Point-wise non-linearities. At a kink the gradient is TensorFlow.js's: ReLU passes nothing at
 * exactly 0 (its step(x) is 1 only for x > 0), so both engines drop the same cells.
 */

/** max(0, x): the hidden layers' ReLU and the losses' hinges. */
export function relu(t: Tape, x: string): string {
  const y = t.g.op('Relu', [x]);
  return t.record(y, t.shape(x), [x], (dy) => [reluMask(t, dy, y)]);
}

/** dy where the ReLU output is positive, else 0 (y > 0 exactly where x > 0). */
function reluMask(t: Tape, dy: string, y: string): string {
  return t.g.op('Where', [t.g.op('Greater', [y, t.g.constant(0)]), dy, t.g.constant(0)]);
}

/** 1 / (1 + exp(-x)); the derivative s (1 - s) from the output. */
export function sigmoid(t: Tape, x: string): string {
  const s = t.g.op('Sigmoid', [x]);
  return t.record(s, t.shape(x), [x], (dy) => {
    const ds = t.g.op('Mul', [s, t.g.op('Sub', [t.g.constant(1), s])]);
    return [t.g.op('Mul', [dy, ds])];
  });
}

/**
 * log(1 + exp(x)), ORT's Softplus (stable for large |x|, checked in the tests); its derivative is
 * sigmoid(x), which is also what TensorFlow.js's relu(x) + log1p(exp(-|x|)) differentiates to,
 * at x = 0 included (0 + 1/2).
 */
export function softplus(t: Tape, x: string): string {
  return t.record(t.g.op('Softplus', [x]), t.shape(x), [x], (dy) => [t.g.op('Mul', [dy, t.g.op('Sigmoid', [x])])]);
}
