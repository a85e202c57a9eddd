import { UserError } from '../core/errors.ts';
import { BACKEND_NAMES, type BackendName, selectBackend } from './backend.ts';
import { DEVICES, type Device, createSession, loadOrt, threadsPerWorker } from './onnx/session.ts';
import { OnnxGraph } from './onnx/graph.ts';

/**
 * Which engine serves the networks: ONNX Runtime (fast native CPU kernels, CUDA when asked) or
 * TensorFlow.js (its own backend order: node-gpu, node, wasm, cpu) as the fallback where
 * onnxruntime-node does not load. Every CLI takes the same options and every record keeps the
 * resulting choice, so a figure always says what computed it.
 */
const ENGINE_NAMES = ['ort', 'tfjs'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** What the user asked for (`--engine`, `--device`, `--backend`, `--threads`); all optional. */
export interface ComputeRequest {
  engine?: string;
  device?: string;
  backend?: string;
  threads?: number;
}

export interface ComputeChoice {
  engine: EngineName;
  /** ORT's execution provider ('cpu' | 'cuda'), or the TensorFlow.js backend. */
  provider: string;
  /** Intra-op threads of each ORT session (TensorFlow.js decides its own). */
  threads: number;
  backend?: BackendName;
  /** Why ORT is not in use when the user did not choose tfjs, for the log. */
  fallback?: string;
  /** 'ort/cpu/2t', 'tfjs/wasm': what records and logs print. */
  label: string;
}

/** Checks names and combinations before any work; returns the request with its engine implied. */
export function checkComputeRequest(req: ComputeRequest): ComputeRequest {
  if (req.engine !== undefined && !(ENGINE_NAMES as readonly string[]).includes(req.engine)) {
    throw new UserError(`--engine: '${req.engine}' is not one of ${ENGINE_NAMES.join(', ')}`);
  }
  if (req.device !== undefined && !(DEVICES as readonly string[]).includes(req.device)) {
    throw new UserError(`--device: '${req.device}' is not one of ${DEVICES.join(', ')}`);
  }
  if (req.backend !== undefined && !(BACKEND_NAMES as readonly string[]).includes(req.backend)) {
    throw new UserError(`--backend: '${req.backend}' is not one of ${BACKEND_NAMES.join(', ')}`);
  }
  if (req.threads !== undefined && !(Number.isInteger(req.threads) && req.threads > 0)) {
    throw new UserError(`--threads: expected a positive integer, got ${req.threads}`);
  }
  if (req.engine === 'tfjs' && req.device !== undefined) {
    throw new UserError('--device chooses the ONNX Runtime provider; with --engine tfjs use --backend (node-gpu for a GPU)');
  }
  if (req.engine === 'ort' && req.backend !== undefined) {
    throw new UserError('--backend chooses a TensorFlow.js backend; it does not apply to --engine ort (use --device)');
  }
  if (req.backend !== undefined && req.device !== undefined) {
    throw new UserError('--backend (TensorFlow.js) and --device (ONNX Runtime) name different engines; give one');
  }
  // A TensorFlow.js backend names its engine, as a device names ORT.
  const engine = req.engine ?? (req.backend !== undefined ? 'tfjs' : req.device !== undefined ? 'ort' : undefined);
  return { ...req, engine };
}

/** A one-node graph: starting a session on the provider proves it works before any real work. */
async function probeProvider(device: Device): Promise<void> {
  const g = new OnnxGraph('probe');
  g.output(g.op('Relu', [g.input('x', [1])]), 'y');
  await createSession(g.toBytes(), { device, threads: 1 }, 'provider probe');
}

/**
 * Resolves the request in this process (each worker calls it once): ORT when asked or when it loads,
 * else TensorFlow.js. `workers` is how many processes or threads share the cores, which sets ORT's
 * intra-op threads unless the request fixes them.
 */
export async function selectCompute(request: ComputeRequest, workers = 1): Promise<ComputeChoice> {
  const req = checkComputeRequest(request);
  let fallback: string | undefined;
  if (req.engine !== 'tfjs') {
    const device = (req.device ?? 'cpu') as Device;
    try {
      await loadOrt();
      if (device === 'cuda') await probeProvider(device);
      const threads = req.threads ?? threadsPerWorker(workers);
      return { engine: 'ort', provider: device, threads, label: `ort/${device}/${threads}t` };
    } catch (err) {
      if (req.engine === 'ort')
        throw err instanceof UserError && !err.message.startsWith('--') ? new UserError(`--engine ort: ${err.message}`) : err;
      fallback = (err as Error).message;
    }
  }
  const backend = await selectBackend(req.backend);
  return { engine: 'tfjs', provider: backend, threads: 0, backend, fallback, label: `tfjs/${backend}` };
}

/**
 * Run in the main process before any dataset work: a CUDA request that cannot be met fails at once,
 * with one line, instead of once per worker after the dataset has loaded.
 */
export async function preflightCompute(req: ComputeRequest): Promise<void> {
  if (req.device === 'cuda') await probeProvider('cuda');
}
