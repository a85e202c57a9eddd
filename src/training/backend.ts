import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { UserError } from '../core/errors.ts';
import { registerWasmGradients } from '../compute/wasm-grads.ts';

export const TRAIN_BACKENDS = ['wasm', 'cpu'] as const;

/**
 * Selects the backend for training. WASM is the default: with the filter-gradient kernels
 * registered it trains a quarter-width SiamFC an order of magnitude faster than the pure-JS CPU one.
 */
export async function useTrainingBackend(name: string): Promise<string> {
  if (!(TRAIN_BACKENDS as readonly string[]).includes(name)) {
    throw new UserError(`--backend: '${name}' is not one of ${TRAIN_BACKENDS.join(', ')}`);
  }
  if (name === 'wasm') registerWasmGradients();
  if (!(await tf.setBackend(name))) throw new UserError(`--backend: the ${name} backend failed to start here`);
  await tf.ready();
  return tf.getBackend();
}
