import * as tf from '@tensorflow/tfjs-core';
import { UserError } from '../core/errors.ts';
import { registerWasmGradients } from './wasm-grads.ts';

/**
 * TensorFlow.js with the best backend that loads. The native packages (@tensorflow/tfjs-node and
 * -node-gpu) are optional dependencies that download libtensorflow when installed, so they are
 * imported dynamically: when absent or broken, the next backend is tried.
 *
 * Names are the `--backend` choices; both native ones run as tfjs's backend 'tensorflow', so the
 * choice name is what results record (it says whether the GPU build was in use).
 */
export const BACKEND_NAMES = ['node-gpu', 'node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

interface BackendSpec {
  pkg: string;
  /** The backend name the package registers with tfjs-core. */
  tfjs: string;
}

const SPECS: Record<BackendName, BackendSpec> = {
  'node-gpu': { pkg: '@tensorflow/tfjs-node-gpu', tfjs: 'tensorflow' },
  node: { pkg: '@tensorflow/tfjs-node', tfjs: 'tensorflow' },
  wasm: { pkg: '@tensorflow/tfjs-backend-wasm', tfjs: 'wasm' },
  cpu: { pkg: '@tensorflow/tfjs-backend-cpu', tfjs: 'cpu' },
};

let selected: BackendName | undefined;

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0];
}

/** Loads and activates one backend; returns why it failed, or undefined on success. */
async function tryBackend(name: BackendName): Promise<string | undefined> {
  const spec = SPECS[name];
  try {
    await import(spec.pkg);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return e.code === 'ERR_MODULE_NOT_FOUND' ? `${spec.pkg} is not installed` : `${spec.pkg} failed to load (${firstLine(err)})`;
  }
  if (name === 'wasm') registerWasmGradients();
  try {
    if (!(await tf.setBackend(spec.tfjs))) return `the ${spec.tfjs} backend of ${spec.pkg} failed to start`;
    await tf.ready();
  } catch (err) {
    return `the ${spec.tfjs} backend of ${spec.pkg} failed to start (${firstLine(err)})`;
  }
  return undefined;
}

/**
 * Activates the requested backend, or the best that loads (node-gpu, node, wasm, cpu), and returns
 * its name. Once per process (each worker thread calls it once); a later call with no request or
 * the same one returns the active backend.
 */
export async function selectBackend(requested?: string): Promise<BackendName> {
  if (requested !== undefined && !(BACKEND_NAMES as readonly string[]).includes(requested)) {
    throw new UserError(`--backend: '${requested}' is not one of ${BACKEND_NAMES.join(', ')}`);
  }
  if (selected && (requested === undefined || requested === selected)) return selected;
  if (requested !== undefined) {
    const why = await tryBackend(requested as BackendName);
    if (why) throw new UserError(`--backend ${requested}: ${why}`);
    selected = requested as BackendName;
    return selected;
  }
  const reasons: string[] = [];
  for (const name of BACKEND_NAMES) {
    const why = await tryBackend(name);
    if (!why) {
      selected = name;
      return name;
    }
    reasons.push(`${name}: ${why}`);
  }
  throw new UserError(`no TensorFlow.js backend loads here (${reasons.join('; ')})`);
}

/** The backend selectBackend activated in this process, if any. */
export function activeBackend(): BackendName | undefined {
  return selected;
}
