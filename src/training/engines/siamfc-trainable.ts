import type { ComputeChoice } from '../../compute/engine.ts';
import type { LossName, LossSettings } from '../../trackers/siamfc/losses.ts';
import type { NetworkConfig } from '../../trackers/siamfc/network.ts';
import { createOrtSiamfc } from './ort/ort-siamese.ts';
import { createTfjsSiamfc } from './tfjs-siamese.ts';
import type { TrainableSiamese } from '../trainable.ts';

/**
 * SiamFC to train, seeded, on the engine `compute` chose. Both engines start from initParams' draws
 * for the seed, so a seed names one training run whatever computes it.
 */
export async function createSiamfcTrainable(
  compute: ComputeChoice,
  cfg: NetworkConfig,
  seed: number,
  loss: LossName,
  settings: LossSettings,
): Promise<TrainableSiamese> {
  if (compute.engine === 'tfjs') return createTfjsSiamfc(cfg, seed, loss, settings);
  return createOrtSiamfc(cfg, seed, loss, settings, { device: compute.provider as 'cpu' | 'cuda', threads: compute.threads });
}
