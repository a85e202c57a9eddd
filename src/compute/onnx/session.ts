import { availableParallelism } from 'node:os';
import { UserError } from '../../core/errors.ts';

/**
 * onnxruntime-node, loaded on demand (it is a 290 MB native package: a broken install must leave the
 * TensorFlow.js fallback working), with sessions on the CPU provider or, when asked, CUDA.
 */
export type Ort = typeof import('onnxruntime-node');
export type OrtSession = import('onnxruntime-node').InferenceSession;

export const DEVICES = ['cpu', 'cuda'] as const;
export type Device = (typeof DEVICES)[number];

export interface OrtOptions {
  device: Device;
  /** Intra-op threads of each session. */
  threads: number;
}

let loaded: Promise<Ort> | undefined;

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0];
}

/** The onnxruntime-node module, or a UserError saying why it does not load. */
export function loadOrt(): Promise<Ort> {
  loaded ??= import('onnxruntime-node').then(
    (m) => {
      const ort = ((m as { default?: Ort }).default ?? m) as Ort;
      // ORT's own log goes to stderr in colour, several lines per failure; every failure also
      // throws, and the callers turn that into one line.
      ort.env.logLevel = 'fatal';
      return ort;
    },
    (err) => {
      loaded = undefined;
      const e = err as NodeJS.ErrnoException;
      throw new UserError(
        e.code === 'ERR_MODULE_NOT_FOUND'
          ? 'onnxruntime-node is not installed (npm install)'
          : `onnxruntime-node failed to load (${firstLine(err)})`,
      );
    },
  );
  return loaded;
}

/**
 * Intra-op threads for one session when `workers` sessions share the machine: the cores split
 * evenly, at least one each. SIAMBENCH_ORT_THREADS overrides it (a Slurm task's CPU set, say).
 */
export function threadsPerWorker(workers: number): number {
  const env = Number.parseInt(process.env.SIAMBENCH_ORT_THREADS ?? '', 10);
  if (env > 0) return env;
  return Math.max(1, Math.floor(availableParallelism() / Math.max(1, workers)));
}

/**
 * A session for a serialised model. CUDA is only ever used when asked for, and when it cannot start
 * that is an error: a run that silently fell back to the CPU would report the wrong speed.
 */
export async function createSession(model: Uint8Array, opts: OrtOptions, what: string): Promise<OrtSession> {
  const ort = await loadOrt();
  const options: import('onnxruntime-node').InferenceSession.SessionOptions = {
    executionProviders: [opts.device === 'cuda' ? 'cuda' : 'cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: opts.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
  };
  try {
    return await ort.InferenceSession.create(model, options);
  } catch (err) {
    const msg = firstLine(err);
    if (opts.device === 'cuda') {
      throw new UserError(
        `--device cuda: the CUDA execution provider of onnxruntime-node does not start here (${msg.slice(0, 160)}); install it with 'ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install' on a machine with CUDA 12, or use --device cpu`,
        { cause: err },
      );
    }
    throw new Error(`${what}: onnxruntime-node rejected the graph (${msg})`, { cause: err });
  }
}
