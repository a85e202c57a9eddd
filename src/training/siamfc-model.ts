import * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UserError } from '../core/errors.ts';
import type { TrainableSiamese } from './model.ts';

/**
 * Adapts the SiamFC network module (src/trackers/siamfc/network.ts) to the training loop. The
 * module is loaded at run time and checked for the functions training needs, so that the loop, its
 * tests and the data pipeline do not depend on it being present.
 */
export interface SiamfcTrainConfig {
  width: number;
  exemplarSize: number;
  searchSize: number;
  headScale: number;
  bnEps: number;
  bnMomentum: number;
}

type Params = Map<string, tf.Variable>;

interface NetworkModule {
  initParams(cfg: SiamfcTrainConfig, seed: number): Params;
  embed(params: Params, cfg: SiamfcTrainConfig, images: tf.Tensor4D, training: boolean): tf.Tensor4D;
  xcorr(z: tf.Tensor4D, x: tf.Tensor4D, headScale: number, params?: Params): tf.Tensor;
  saveModel(dir: string, params: Params, cfg: SiamfcTrainConfig, meta: Record<string, unknown>): Promise<void>;
  /** Folds a batch's statistics into the batch-norm moving averages. */
  [UPDATE_BN]: (params: Params, cfg: SiamfcTrainConfig, images: tf.Tensor4D) => void;
}

/** The network module's name for the batch-norm moving-statistics update. */
const UPDATE_BN = 'updateBatchNormStats';
const NETWORK = new URL('../trackers/siamfc/network.ts', import.meta.url);
const NEEDED = ['initParams', 'embed', 'xcorr', 'saveModel', UPDATE_BN] as const;

async function loadNetworkModule(): Promise<NetworkModule> {
  const path = fileURLToPath(NETWORK);
  if (!existsSync(path)) throw new UserError(`${path}: missing; training needs the SiamFC network module`);
  const mod = (await import(NETWORK.href)) as Record<string, unknown>;
  const missing = NEEDED.filter((name) => typeof mod[name] !== 'function');
  if (missing.length > 0) throw new UserError(`${path}: does not export ${missing.join(', ')} (needed for training)`);
  return mod as unknown as NetworkModule;
}

export async function createSiamfc(cfg: SiamfcTrainConfig, seed: number): Promise<TrainableSiamese> {
  const net = await loadNetworkModule();
  const params = net.initParams(cfg, seed);
  const variables = new Map<string, tf.Variable>();
  const state = new Map<string, tf.Variable>();
  for (const [name, v] of params) (v.trainable ? variables : state).set(name, v);
  return {
    variables,
    state,
    // Convolution kernels decay; biases and batch-norm scales/offsets (rank 0 or 1) do not.
    decays: (name) => (variables.get(name)?.rank ?? 0) >= 2,
    forward: (z, x, training) => net.xcorr(net.embed(params, cfg, z, training), net.embed(params, cfg, x, training), cfg.headScale, params),
    updateStatistics: (z, x) => {
      tf.tidy(() => {
        net[UPDATE_BN](params, cfg, z);
        net[UPDATE_BN](params, cfg, x);
      });
    },
    save: (dir, meta) => net.saveModel(dir, params, cfg, meta),
    describe: () => ({ ...cfg }),
    dispose: () => {
      for (const v of params.values()) v.dispose();
    },
  };
}
