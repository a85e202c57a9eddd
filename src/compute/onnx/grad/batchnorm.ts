import { float } from '../graph.ts';
import type { Tape } from './tape.ts';

/**
 * Batch normalisation in training mode over [N, H, W] per channel of x [N, C, H, W]:
 * y = gamma (x - mean) / sqrt(var + eps) + beta with the batch's mean and population variance,
 * differentiated through the statistics too. With d = x - mean, r = 1 / sqrt(var + eps) and M
 * values per channel:
 *   dbeta = sum dy,  dgamma = r sum(dy d),
 *   dx = gamma r (dy - dbeta / M - d r^2 sum(dy d) / M),
 * written as dx = a dy + (b d + c) with per-channel a, b, c: three full-size passes.
 * Also returns the statistics themselves (the trainer folds them into the moving averages).
 */
export interface BatchNormOut {
  y: string;
  mean: string;
  variance: string;
}

export function batchNormTrain(t: Tape, x: string, gamma: string, beta: string, eps: number): BatchNormOut {
  const g = t.g;
  const s = t.shape(x);
  const [n, c, h, w] = s;
  const m = n * h * w;
  const axes = { axes: [0, 2, 3], keepdims: 1 };
  const perChannel = (v: string) => g.op('Reshape', [v, g.ints([1, c, 1, 1])]);
  const mean = g.op('ReduceMean', [x], axes);
  const d = g.op('Sub', [x, mean]);
  const variance = g.op('Mul', [g.op('ReduceSumSquare', [d], axes), g.constant(1 / m)]);
  const r = g.op('Reciprocal', [g.op('Sqrt', [g.op('Add', [variance, g.constant(eps)])])]);
  const gr = g.op('Mul', [perChannel(gamma), r]);
  const flat = (v: string) => g.op('Reshape', [v, g.ints([c])]);
  // ORT's inference BatchNormalization is one fused pass, given the batch's own statistics.
  const y = g.op('BatchNormalization', [x, gamma, beta, flat(mean), flat(variance)], { epsilon: float(eps) });
  t.record(y, s, [x, gamma, beta], (dy, wants) => {
    const sumDy = g.op('ReduceSum', [dy, g.ints([0, 2, 3])], { keepdims: 1 });
    const sumDyD = g.op('ReduceSum', [g.op('Mul', [dy, d]), g.ints([0, 2, 3])], { keepdims: 1 });
    let dx: string | undefined;
    if (wants[0]) {
      const b = g.op('Mul', [g.op('Mul', [gr, g.op('Mul', [r, r])]), g.op('Mul', [sumDyD, g.constant(-1 / m)])]);
      const cc = g.op('Mul', [gr, g.op('Mul', [sumDy, g.constant(-1 / m)])]);
      // b d + c as a BatchNormalization of d with scale b, offset c, mean 0, variance 1, eps 0.
      const affine = g.op(
        'BatchNormalization',
        [d, flat(b), flat(cc), g.constant(new Array(c).fill(0), [c]), g.constant(new Array(c).fill(1), [c])],
        { epsilon: float(0) },
      );
      dx = g.op('Add', [g.op('Mul', [dy, gr]), affine]);
    }
    return [dx, wants[1] ? flat(g.op('Mul', [sumDyD, r])) : undefined, wants[2] ? flat(sumDy) : undefined];
  });
  return { y, mean: flat(mean), variance: flat(variance) };
}
