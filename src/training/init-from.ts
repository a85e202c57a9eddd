import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import { readParts } from '../core/parts.ts';
import { weightFiles } from '../trackers/siamfc/model-file.ts';
import { type ModelWeights, readModelWeights } from '../trackers/siamfc/model-weights.ts';
import { LAYERS, type NetworkConfig } from '../trackers/siamfc/network.ts';
import type { PairBatch } from './batches.ts';
import type { BatchStats, ParamArray, TrainableSiamese } from './trainable.ts';

/**
 * `npm run train -- --init-from <model folder>`: fine-tuning starts from a model's weights instead of
 * seeded ones (issue 11 item 4: the original SiamFC, imported from TFLite, fine-tuned by each loss).
 *
 * A model trained here holds every parameter the trainer has (kernels, batch-norm gamma/beta, moving
 * statistics and their update counter): they are copied as they are, so step 0 is the source model.
 *
 * An imported model has its batch norm folded: conv(x, w) + b per layer, nothing else. Training
 * needs batch norm back, and how it comes back decides what the first steps start from:
 * - gamma 1, beta b, moving mean 0 and variance 1 reproduces the folded network in inference mode
 *   only. In training mode batch norm divides each channel by its batch's own deviation, and the
 *   folded activations are far from unit variance (raw 0..255 pixels in), so the network trained at
 *   step 0 would be another one, and the fine-tuning a training from a scrambled start.
 * - Training with batch norm frozen (inference mode, or none) keeps the function but trains
 *   differently from every other run here (batch statistics, as SiamFC was trained, and as the
 *   study's from-scratch runs train), so the two would not be one recipe.
 * - What is done: batch norm unfolded at the statistics the folded network's own activations have
 *   on training pairs. With m, v the mean and variance of conv(x, w) over calibration batches:
 *   gamma = sqrt(v + eps), beta = b + m, moving mean m, moving variance v. In inference mode that is
 *   conv + b exactly (up to rounding): the imported tracker. In training mode each batch is
 *   normalised by its own statistics, which differ from m, v only by the batch's sampling, so the
 *   first step trains (nearly) the imported network, with the same batch norm every other run has.
 *   The statistics are taken layer by layer (layer k's with layers 1..k-1 already unfolded, so its
 *   input is what the folded network gives), pooled over both branches and all calibration
 *   batches; the moving statistics then continue at the momentum's rate (updates 1 / momentum).
 */

export interface InitSource {
  dir: string;
  weights: ModelWeights;
  folded: boolean;
  /** Of the weights (weights.bin, or its parts joined): which weights a fine-tuned model started from. */
  sha256: string;
}

/** Reads and checks the source before any data is loaded: one-line errors naming --init-from. */
export async function readInitSource(dir: string, cfg: NetworkConfig): Promise<InitSource> {
  if (!existsSync(join(dir, 'model.json')))
    throw new UserError(
      `--init-from: ${dir} holds no model (model.json)${existsSync(dir) ? '' : ': no such folder'}; import one with npm run import-model`,
    );
  const weights = await readModelWeights(dir);
  const a = weights.json.architecture;
  if (a.width !== cfg.width)
    throw new UserError(`--init-from: ${dir} is a width-${a.width} network, --width is ${cfg.width}; fine-tuning keeps the architecture`);
  if (a.headScale !== cfg.headScale)
    throw new UserError(`--init-from: ${dir} has head scale ${a.headScale}, training uses ${cfg.headScale}`);
  // Of the weights' bytes however they are split, so that a re-split start is the same start.
  const sha256 = createHash('sha256')
    .update(await readParts(dir, weightFiles(weights.json, dir), 'model.json'))
    .digest('hex');
  return { dir: resolve(dir), weights, folded: a.folded === true, sha256 };
}

/** What model.json records of the start. */
export function initRecord(src: InitSource, calibrationPairs: number): Record<string, unknown> {
  return {
    dir: src.dir,
    weightsSha256: src.sha256,
    folded: src.folded,
    ...(src.folded ? { unfolded: `batch norm at the activations' statistics over ${calibrationPairs} training pairs` } : {}),
  };
}

function copyInto(target: ParamArray, source: { shape: number[]; data: Float32Array }, name: string): void {
  if (target.shape.join() !== source.shape.join())
    throw new UserError(`--init-from: tensor ${name} has shape [${source.shape}], the network [${target.shape}]`);
  target.data.set(source.data);
}

/** A trained (unfolded) model: every parameter the trainer has, copied. */
function copyAll(model: TrainableSiamese, src: InitSource): void {
  for (const [name, p] of model.params) {
    const s = src.weights.tensors.get(name);
    if (!s) throw new UserError(`--init-from: ${src.dir} has no tensor ${name}`);
    copyInto(p, s, name);
  }
}

/** Count-weighted mean and population variance of several groups' statistics (law of total variance). */
export function poolStats(groups: readonly BatchStats[]): { mean: Float64Array; variance: Float64Array } {
  const channels = groups[0].mean.length;
  const mean = new Float64Array(channels);
  const variance = new Float64Array(channels);
  const total = groups.reduce((a, g) => a + g.count, 0);
  for (const g of groups) for (let c = 0; c < channels; c++) mean[c] += (g.mean[c] * g.count) / total;
  for (const g of groups) {
    for (let c = 0; c < channels; c++) variance[c] += ((g.variance[c] + (g.mean[c] - mean[c]) ** 2) * g.count) / total;
  }
  return { mean, variance };
}

/** A folded model: kernels and conv5's bias copied, batch norm unfolded at calibrated statistics. */
async function unfold(
  model: TrainableSiamese,
  src: InitSource,
  cfg: NetworkConfig,
  batches: PairBatch[],
  bnMomentum: number,
): Promise<void> {
  const t = src.weights.tensors;
  const param = (n: string) => model.params.get(n) ?? fail(n);
  for (const l of LAYERS) copyInto(param(`${l.name}/w`), t.get(`${l.name}/w`)!, `${l.name}/w`);
  copyInto(param('head/bias'), t.get('head/bias')!, 'head/bias');
  for (const [i, l] of LAYERS.entries()) {
    const bias = t.get(`${l.name}/b`)!.data;
    if (!l.bn) {
      copyInto(param(`${l.name}/b`), t.get(`${l.name}/b`)!, `${l.name}/b`);
      continue;
    }
    const bn = `bn${i + 1}`;
    // Identity first, so that the statistics of later layers see this one as the folded network.
    param(`${bn}/gamma`).data.fill(1);
    param(`${bn}/beta`).data.set(bias);
    const groups: BatchStats[] = [];
    for (const b of batches) {
      const s = await model.batchStatistics(b);
      groups.push(s.z.get(bn)!, s.x.get(bn)!);
    }
    const { mean, variance } = poolStats(groups);
    for (let c = 0; c < mean.length; c++) {
      param(`${bn}/gamma`).data[c] = Math.sqrt(variance[c] + cfg.bnEps);
      param(`${bn}/beta`).data[c] = bias[c] + mean[c];
      param(`${bn}/mean`).data[c] = mean[c];
      param(`${bn}/variance`).data[c] = variance[c];
    }
  }
  const updates = model.params.get('bn/updates');
  if (updates) updates.data[0] = Math.round(1 / bnMomentum);
}

function fail(name: string): never {
  throw new Error(`--init-from: the network has no parameter ${name}`);
}

/** Sets the model's parameters from the source; `batches` (training pairs) calibrate a folded one. */
export async function initFrom(
  model: TrainableSiamese,
  src: InitSource,
  cfg: NetworkConfig,
  batches: () => Promise<PairBatch[]>,
  bnMomentum: number,
): Promise<void> {
  if (src.folded) await unfold(model, src, cfg, await batches(), bnMomentum);
  else copyAll(model, src);
}
