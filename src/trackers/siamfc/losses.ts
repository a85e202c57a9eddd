import * as tf from '@tensorflow/tfjs-core';
// Losses exist to be differentiated, and tfjs-core registers no gradients itself; its own
// register_all_gradients module cannot be loaded by Node's ESM resolver, the layers bundle registers
// them all as a side effect (on the same tfjs-core instance).
import '@tensorflow/tfjs-layers';
import { UserError } from '../../core/errors.ts';

/**
 * Training losses on SiamFC response maps (see docs/training.md, "The losses"). Every constant is a setting so that a
 * trained model can record exactly what it was trained with. Scores arrive as logits, shape
 * [N, h, w] or [N, h, w, 1]; labels are fixed per map size, so they are built once and cached.
 *
 * Positive and negative cells are picked with 0/1 selection matrices (matMul) rather than gather or
 * boolean masks: that keeps every op and its gradient on kernels the WASM backend has.
 */

export type LossName = 'logistic' | 'global' | 'ranking';
export const LOSS_NAMES: readonly LossName[] = ['logistic', 'global', 'ranking'];

export interface LabelSettings {
  /** A cell is positive when its centre lies within this many pixels of the map centre. */
  radiusPx: number;
  /** Network stride: pixels per response cell. */
  stride: number;
}

export interface LogisticSettings {
  /** Total weight of the positive cells and of the negative cells (each spread evenly). */
  posWeight: number;
  negWeight: number;
}

export interface GlobalSettings {
  eta: number;
  alpha: number;
  delta: number;
  lambda: number;
  /** 'sigmoid' gives scores in (0, 1) so that delta and alpha are meaningful; 'logits' uses raw v. */
  scores: 'sigmoid' | 'logits';
  /** 'map': statistics per response map, averaged over the batch; 'batch': pooled over the batch. */
  pooling: 'map' | 'batch';
  /**
   * Weight of SiamFC's balanced logistic loss added to the global loss (on the raw logits); 0 or
   * absent: the global loss alone (issue 11's ablation: alone vs added to the logistic loss).
   */
  logisticWeight?: number;
  /**
   * The hard-sample term's extremes: 'max' (absent) the hardest pair, max s_neg - min s_pos;
   * 'softmax' a soft maximum over the hardest few, tau logsumexp(s_neg / tau) + tau logsumexp(-s_pos / tau)
   * (issue 11's ablation; docs/training.md says how tau sets how many cells carry the weight).
   */
  hard?: 'max' | 'softmax';
  /** Temperature of the soft maximum, in score units; only with hard 'softmax'. */
  tau?: number;
}

/**
 * Default temperature of the soft maximum, for sigmoid scores: on held-out training pairs the
 * committed global-loss model's maps then give about 9 negatives and 3 positives the weight
 * (scripts/gs-tau.ts; docs/training.md).
 */
export const DEFAULT_SOFT_TAU = 0.003;

export interface LossSettings {
  labels: LabelSettings;
  logistic: LogisticSettings;
  global: GlobalSettings;
}

export const DEFAULT_LOSS_SETTINGS: LossSettings = {
  labels: { radiusPx: 16, stride: 8 },
  logistic: { posWeight: 0.5, negWeight: 0.5 },
  global: { eta: 1, alpha: 0.1, delta: 0.1, lambda: 1, scores: 'sigmoid', pooling: 'map' },
};

/** +1 / -1 per cell of an h x w map, row-major: positive within radius (Euclidean, in cells). */
export function labelMap(h: number, w: number, labels: LabelSettings): Int8Array {
  const r = labels.radiusPx / labels.stride;
  const cy = (h - 1) / 2;
  const cx = (w - 1) / 2;
  const out = new Int8Array(h * w);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) out[i * w + j] = Math.hypot(i - cy, j - cx) <= r ? 1 : -1;
  }
  return out;
}

/** [cells, pos] and [cells, neg] 0/1 matrices (row-major) picking each group's cells of an h x w map. */
export interface SelectionMatrices {
  cells: number;
  pos: number;
  neg: number;
  p: Float32Array;
  n: Float32Array;
}

/** Every engine picks cells with these same matrices, so all differentiate the same function. */
export function selectionMatrices(h: number, w: number, labels: LabelSettings): SelectionMatrices {
  const map = labelMap(h, w, labels);
  const cells = h * w;
  const pos = map.filter((v) => v > 0).length;
  const neg = cells - pos;
  if (pos === 0 || neg === 0) {
    throw new UserError(
      `label radius ${labels.radiusPx}px / stride ${labels.stride} leaves a ${h}x${w} map with ${pos} positive and ${neg} negative cells; both must be present`,
    );
  }
  const p = new Float32Array(cells * pos);
  const n = new Float32Array(cells * neg);
  let ip = 0;
  let ineg = 0;
  for (let c = 0; c < cells; c++) {
    if (map[c] > 0) p[c * pos + ip++] = 1;
    else n[c * neg + ineg++] = 1;
  }
  return { cells, pos, neg, p, n };
}

interface Selection {
  cells: number;
  pos: number;
  neg: number;
  pickPos: tf.Tensor2D;
  pickNeg: tf.Tensor2D;
}

const selections = new Map<string, Selection>();

function selection(h: number, w: number, labels: LabelSettings): Selection {
  const key = `${tf.getBackend()}:${h}x${w}:${labels.radiusPx}/${labels.stride}`;
  const cached = selections.get(key);
  if (cached && !cached.pickPos.isDisposed) return cached;
  const { cells, pos, neg, p, n } = selectionMatrices(h, w, labels);
  const sel = { cells, pos, neg, pickPos: tf.keep(tf.tensor2d(p, [cells, pos])), pickNeg: tf.keep(tf.tensor2d(n, [cells, neg])) };
  selections.set(key, sel);
  return sel;
}

function flatten(scores: tf.Tensor): { flat: tf.Tensor2D; h: number; w: number } {
  const s = scores.shape;
  if (!(s.length === 3 || (s.length === 4 && s[3] === 1))) {
    throw new Error(`loss expects scores [N,h,w] or [N,h,w,1], got [${s.join(',')}]`);
  }
  return { flat: tf.reshape(scores, [s[0], s[1] * s[2]]) as tf.Tensor2D, h: s[1], w: s[2] };
}

/** log(1 + exp(t)) without overflow, from ops every backend has. */
function softplus(t: tf.Tensor): tf.Tensor {
  return tf.add(tf.relu(t), tf.log1p(tf.exp(tf.neg(tf.abs(t)))));
}

/** SiamFC's balanced logistic loss: sum_i w_i log(1 + exp(-y_i v_i)), mean over the batch. */
export function balancedLogisticLoss(scores: tf.Tensor, settings: LossSettings = DEFAULT_LOSS_SETTINGS): tf.Scalar {
  return tf.tidy(() => {
    const { flat, h, w } = flatten(scores);
    const sel = selection(h, w, settings.labels);
    const pos = tf.matMul(flat, sel.pickPos);
    const neg = tf.matMul(flat, sel.pickNeg);
    const lp = tf.mul(tf.mean(softplus(tf.neg(pos)), 1), settings.logistic.posWeight);
    const ln = tf.mul(tf.mean(softplus(neg), 1), settings.logistic.negWeight);
    return tf.mean(tf.add(lp, ln)) as tf.Scalar;
  });
}

/** Mean and population variance along axis 1 (or over everything when pooled). */
function moments(x: tf.Tensor2D, pooled: boolean): { mean: tf.Tensor; variance: tf.Tensor } {
  const m = pooled ? tf.mean(x) : tf.mean(x, 1, true);
  const variance = pooled ? tf.mean(tf.square(tf.sub(x, m))) : tf.mean(tf.square(tf.sub(x, m)), 1);
  return { mean: pooled ? m : tf.reshape(m, [x.shape[0]]), variance };
}

function hardest(pos: tf.Tensor2D, neg: tf.Tensor2D, pooled: boolean): { hardNeg: tf.Tensor; hardPos: tf.Tensor } {
  return { hardNeg: pooled ? tf.max(neg) : tf.max(neg, 1), hardPos: pooled ? tf.min(pos) : tf.min(pos, 1) };
}

export function softTau(g: GlobalSettings): number {
  const tau = g.tau ?? DEFAULT_SOFT_TAU;
  if (!(tau > 0)) throw new UserError(`--gs-tau: expected a temperature > 0, got ${tau}`);
  return tau;
}

/**
 * Smooth maximum of the negatives, tau logsumexp(s / tau) (>= their max, by at most tau ln n), and
 * smooth minimum of the positives, -tau logsumexp(-s / tau): each cell weighs exp(-gap / tau),
 * gap its distance to the extreme, so the hardest few carry the gradient rather than one cell.
 */
function softExtremes(pos: tf.Tensor2D, neg: tf.Tensor2D, pooled: boolean, tau: number): { hardNeg: tf.Tensor; hardPos: tf.Tensor } {
  const axis = pooled ? undefined : 1;
  const lse = (x: tf.Tensor, sign: number) => tf.mul(tf.logSumExp(tf.mul(x, sign / tau), axis), sign * tau);
  return { hardNeg: lse(neg, 1), hardPos: lse(pos, -1) };
}

/**
 * Global similarity loss l_dis + eta * l_hard: the positive and negative score distributions are
 * pulled apart as two Gaussians (small variances, means at least delta apart), and the hardest
 * negative must sit alpha below the hardest positive.
 */
export function globalSimilarityLoss(scores: tf.Tensor, settings: LossSettings = DEFAULT_LOSS_SETTINGS): tf.Scalar {
  const g = settings.global;
  return tf.tidy(() => {
    const { flat, h, w } = flatten(scores);
    const sel = selection(h, w, settings.labels);
    const s = g.scores === 'sigmoid' ? tf.sigmoid(flat) : flat;
    const pos = tf.matMul(s, sel.pickPos) as tf.Tensor2D;
    const neg = tf.matMul(s, sel.pickNeg) as tf.Tensor2D;
    const pooled = g.pooling === 'batch';
    const p = moments(pos, pooled);
    const n = moments(neg, pooled);
    const gap = tf.relu(tf.sub(g.delta, tf.sub(p.mean, n.mean)));
    const lDis = tf.add(tf.add(p.variance, n.variance), tf.mul(gap, g.lambda));
    const { hardNeg, hardPos } = g.hard === 'softmax' ? softExtremes(pos, neg, pooled, softTau(g)) : hardest(pos, neg, pooled);
    const lHard = tf.relu(tf.add(tf.sub(hardNeg, hardPos), g.alpha));
    const total = tf.mean(tf.add(lDis, tf.mul(lHard, g.eta))) as tf.Scalar;
    return g.logisticWeight ? (tf.add(total, tf.mul(balancedLogisticLoss(scores, settings), g.logisticWeight)) as tf.Scalar) : total;
  });
}

/** SiamFC-tri's ranking loss (1/MN) sum_i sum_j log(1 + exp(v_neg_j - v_pos_i)), mean over the batch. */
export function rankingLoss(scores: tf.Tensor, settings: LossSettings = DEFAULT_LOSS_SETTINGS): tf.Scalar {
  return tf.tidy(() => {
    const { flat, h, w } = flatten(scores);
    const sel = selection(h, w, settings.labels);
    const pos = tf.expandDims(tf.matMul(flat, sel.pickPos), 2); // [N, M, 1]
    const neg = tf.expandDims(tf.matMul(flat, sel.pickNeg), 1); // [N, 1, Nn]
    return tf.mean(softplus(tf.sub(neg, pos))) as tf.Scalar;
  });
}

export type LossFn = (scores: tf.Tensor) => tf.Scalar;

export function lossFunction(name: LossName, settings: LossSettings = DEFAULT_LOSS_SETTINGS): LossFn {
  switch (name) {
    case 'logistic':
      return (s) => balancedLogisticLoss(s, settings);
    case 'global':
      return (s) => globalSimilarityLoss(s, settings);
    case 'ranking':
      return (s) => rankingLoss(s, settings);
    default:
      throw new UserError(`--loss: unknown loss '${String(name)}' (expected ${LOSS_NAMES.join(', ')})`);
  }
}
