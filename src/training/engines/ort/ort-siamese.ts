// Initial weights come from network.ts's initParams, whose random draws are tfjs-core's own (the
// same on every backend); the CPU backend guarantees one is available to run it.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createSession, type Device, loadOrt, type OrtSession, threadsPerWorker } from '../../../compute/onnx/session.ts';
import type { LossName, LossSettings } from '../../../trackers/siamfc/losses.ts';
import { initParams, LAYERS, type NetworkConfig } from '../../../trackers/siamfc/network.ts';
import type { PairBatch } from '../../batches.ts';
import type { BatchStats, LossAndGrads, ParamArray, TrainableSiamese } from '../../trainable.ts';
import { batchStatsGraph, type GraphSpec, inferenceLossGraph, trainableNames, trainingGraph } from './siamfc-graphs.ts';

/**
 * SiamFC training on ONNX Runtime: the loss and every parameter gradient from one session run.
 * Sessions are built once per kind of graph and batch size (the last batch of an epoch or a
 * validation batch may be smaller) and reused; the parameters are fed on every call from the
 * arrays the optimiser updates.
 */
export interface OrtTrainOptions {
  device?: Device;
  /** Intra-op threads; by default the cores split over `workers` (1). */
  threads?: number;
  workers?: number;
}

type Kind = 'train' | 'loss' | 'stats';

export class OrtSiamese implements TrainableSiamese {
  readonly engine: string;
  readonly trainable: readonly string[];
  private readonly sessions = new Map<string, Promise<OrtSession>>();
  private readonly device: Device;
  private readonly threads: number;

  constructor(
    readonly cfg: NetworkConfig,
    readonly params: Map<string, ParamArray>,
    readonly lossName: LossName,
    readonly settings: LossSettings,
    opts: OrtTrainOptions = {},
  ) {
    this.device = opts.device ?? 'cpu';
    this.threads = opts.threads ?? threadsPerWorker(opts.workers ?? 1);
    this.engine = `ort/${this.device} x${this.threads} threads`;
    this.trainable = trainableNames(cfg.width);
    for (const n of this.trainable) if (!params.has(n)) throw new Error(`OrtSiamese: missing parameter ${n}`);
  }

  decays(name: string): boolean {
    return (this.params.get(name)?.shape.length ?? 0) >= 2;
  }

  private session(kind: Kind, batch: number): Promise<OrtSession> {
    const key = `${kind}:${batch}`;
    let s = this.sessions.get(key);
    if (!s) {
      const spec: GraphSpec = { cfg: this.cfg, batch };
      const bytes =
        kind === 'train'
          ? trainingGraph(spec, this.lossName, this.settings)
          : kind === 'loss'
            ? inferenceLossGraph(spec, this.lossName, this.settings)
            : batchStatsGraph(spec);
      s = createSession(bytes, { device: this.device, threads: this.threads }, `SiamFC ${kind} graph (batch ${batch})`);
      s.catch(() => this.sessions.delete(key));
      this.sessions.set(key, s);
    }
    return s;
  }

  private async run(kind: Kind, batch: PairBatch, outputs?: string[]): Promise<Record<string, Float32Array>> {
    const ort = await loadOrt();
    const s = await this.session(kind, batch.size);
    const { exemplarSize: ez, searchSize: sx } = this.cfg;
    const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {
      z: new ort.Tensor('float32', batch.exemplars, [batch.size, ez, ez, 3]),
      x: new ort.Tensor('float32', batch.searches, [batch.size, sx, sx, 3]),
    };
    for (const name of s.inputNames) {
      if (name in feeds) continue;
      const p = this.params.get(name);
      if (!p) throw new Error(`OrtSiamese: the ${kind} graph wants ${name}`);
      feeds[name] = new ort.Tensor('float32', p.data, p.shape);
    }
    const result = await s.run(feeds, outputs ?? s.outputNames);
    const out: Record<string, Float32Array> = {};
    for (const [k, v] of Object.entries(result)) out[k] = v.data as Float32Array;
    return out;
  }

  async lossAndGrads(batch: PairBatch): Promise<LossAndGrads> {
    const out = await this.run('train', batch);
    return { loss: out.loss[0], grads: new Map(this.trainable.map((n) => [n, out[`grad:${n}`]])) };
  }

  async loss(batch: PairBatch): Promise<number> {
    return (await this.run('loss', batch)).loss[0];
  }

  async batchStatistics(batch: PairBatch): Promise<{ z: Map<string, BatchStats>; x: Map<string, BatchStats> }> {
    const out = await this.run('stats', batch);
    const result = { z: new Map<string, BatchStats>(), x: new Map<string, BatchStats>() };
    // Values per statistic: batch x the feature map's side squared at that layer.
    const sides = featureSides(this.cfg);
    for (const key of Object.keys(out)) {
      const m = /^([zx]):(bn\d+)\/mean$/.exec(key);
      if (!m) continue;
      const [, branch, bn] = m as unknown as [string, 'z' | 'x', string];
      const side = sides[branch][Number(bn.slice(2)) - 1];
      result[branch].set(bn, { mean: out[key], variance: out[`${branch}:${bn}/variance`], count: batch.size * side * side });
    }
    return result;
  }

  describe(): Record<string, unknown> {
    return { ...this.cfg };
  }

  dispose(): void {
    for (const s of this.sessions.values()) s.then((x) => x.release()).catch(() => {});
    this.sessions.clear();
  }
}

/** Side of each layer's convolution output (where its batch norm sits), per branch. */
function featureSides(cfg: NetworkConfig): { z: number[]; x: number[] } {
  const sides = (input: number) => {
    let s = input;
    return LAYERS.map((l) => {
      const out = (s = Math.floor((s - l.kernel) / l.stride) + 1);
      if (l.pool) s = Math.floor((s - 3) / 2) + 1;
      return out;
    });
  };
  return { z: sides(cfg.exemplarSize), x: sides(cfg.searchSize) };
}

/**
 * A SiamFC network to train on ORT, starting from exactly the weights network.ts's initParams
 * draws for this seed, so that both engines start from the same arrays.
 */
export async function createOrtSiamfc(
  cfg: NetworkConfig,
  seed: number,
  loss: LossName,
  settings: LossSettings,
  opts: OrtTrainOptions = {},
): Promise<OrtSiamese> {
  await loadOrt();
  // tfjs only draws the weights here: its first CPU-backend use would print an advert for tfjs-node.
  tf.env().set('PROD', true);
  const variables = initParams(cfg, seed);
  const params = new Map<string, ParamArray>();
  for (const [name, v] of variables) {
    params.set(name, { shape: [...v.shape], data: Float32Array.from(v.dataSync() as Float32Array) });
    v.dispose();
  }
  return new OrtSiamese(cfg, params, loss, settings, opts);
}
