import type { ComputeChoice } from '../compute/engine.ts';
import { UserError } from '../core/errors.ts';
import type { LossName, LossSettings } from '../trackers/siamfc/losses.ts';
import type { NetworkConfig } from '../trackers/siamfc/network.ts';
import { createTfjsSiamfc } from './tfjs-siamese.ts';
import type { TrainableSiamese } from './trainable.ts';

/** Options of the ONNX Runtime trainer (its factory lives in src/training/ort/). */
export interface OrtTrainOptions {
  device: 'cpu' | 'cuda';
  threads: number;
}

type OrtFactory = (cfg: NetworkConfig, seed: number, loss: LossName, settings: LossSettings, opts: OrtTrainOptions) => Promise<TrainableSiamese>;

// Until the ONNX Runtime trainer is merged its module may be absent; the specifier is a variable so
// that its absence is a run-time condition, not a type error.
const ORT_TRAINER = './ort/index.ts';

async function ortFactory(): Promise<OrtFactory | undefined> {
  try {
    const m = (await import(ORT_TRAINER)) as { createOrtSiamfc?: OrtFactory };
    return m.createOrtSiamfc;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}

/** Whether this build can train on ONNX Runtime (the engine itself may still fail to load). */
export async function ortTrainingAvailable(): Promise<boolean> {
  return (await ortFactory()) !== undefined;
}

/**
 * SiamFC, seeded, on the engine `compute` chose: the same initial weights on both (the tfjs
 * initialisation, read into arrays), so that a seed names one training run whatever computes it.
 */
export async function createSiamfcTrainable(compute: ComputeChoice, cfg: NetworkConfig, seed: number, loss: LossName, settings: LossSettings): Promise<TrainableSiamese> {
  if (compute.engine === 'tfjs') return createTfjsSiamfc(cfg, seed, loss, settings);
  const factory = await ortFactory();
  if (!factory) throw new UserError('--engine ort: this build has no ONNX Runtime trainer yet; use --engine tfjs');
  return factory(cfg, seed, loss, settings, { device: compute.provider as 'cpu' | 'cuda', threads: compute.threads });
}
