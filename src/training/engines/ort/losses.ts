import * as d from '../../../compute/onnx/grad/index.ts';
import { type LossName, type LossSettings, selectionMatrices, softTau } from '../../../trackers/siamfc/losses.ts';
import { UserError } from '../../../core/errors.ts';

/**
 * The training losses of src/trackers/siamfc/losses.ts written with the gradient rules, op for op
 * (same selection matrices, same reductions, same order), so that the ORT graph differentiates
 * exactly the function TensorFlow.js does. `r` is the response [N, 1, h, w]; the loss is a scalar.
 */

export function lossGraph(t: d.Tape, r: string, name: LossName, settings: LossSettings): string {
  const [batch, , h, w] = t.shape(r);
  const sel = selectionMatrices(h, w, settings.labels);
  const flat = d.reshape(t, r, [batch, sel.cells]);
  const split = (s: string) => [d.matmulConst(t, s, sel.p, sel.cells, sel.pos), d.matmulConst(t, s, sel.n, sel.cells, sel.neg)];
  switch (name) {
    case 'logistic': {
      const [pos, neg] = split(flat);
      const lp = d.scale(t, d.reduceMean(t, d.softplus(t, d.neg(t, pos)), [1]), settings.logistic.posWeight);
      const ln = d.scale(t, d.reduceMean(t, d.softplus(t, neg), [1]), settings.logistic.negWeight);
      return d.reduceMean(t, d.add(t, lp, ln));
    }
    case 'global': {
      const g = settings.global;
      const [pos, neg] = split(g.scores === 'sigmoid' ? d.sigmoid(t, flat) : flat);
      const axes = g.pooling === 'batch' ? undefined : [1];
      const gap = d.relu(t, d.shift(t, d.neg(t, d.sub(t, d.reduceMean(t, pos, axes), d.reduceMean(t, neg, axes))), g.delta));
      const lDis = d.add(t, d.add(t, d.reduceVariance(t, pos, axes), d.reduceVariance(t, neg, axes)), d.scale(t, gap, g.lambda));
      const [hardNeg, hardPos] =
        g.hard === 'softmax' ? softExtremes(t, pos, neg, axes, softTau(g)) : [d.reduceMax(t, neg, axes), d.reduceMin(t, pos, axes)];
      const lHard = d.relu(t, d.shift(t, d.sub(t, hardNeg, hardPos), g.alpha));
      const total = d.add(t, lDis, d.scale(t, lHard, g.eta));
      const mean = axes ? d.reduceMean(t, total) : total;
      return g.logisticWeight ? d.add(t, mean, d.scale(t, lossGraph(t, r, 'logistic', settings), g.logisticWeight)) : mean;
    }
    case 'ranking': {
      const [pos, neg] = split(flat);
      const pairs = d.sub(t, d.reshape(t, neg, [batch, 1, sel.neg]), d.reshape(t, pos, [batch, sel.pos, 1]));
      return d.reduceMean(t, d.softplus(t, pairs));
    }
    default:
      throw new UserError(`--loss: unknown loss '${String(name)}'`);
  }
}

/** losses.ts's softExtremes: tau logsumexp(s_neg / tau) and -tau logsumexp(-s_pos / tau). */
function softExtremes(t: d.Tape, pos: string, neg: string, axes: number[] | undefined, tau: number): [string, string] {
  const lse = (x: string, sign: number) => d.scale(t, d.reduceLogSumExp(t, d.scale(t, x, sign / tau), axes), sign * tau);
  return [lse(neg, 1), lse(pos, -1)];
}
