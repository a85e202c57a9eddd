import { fileURLToPath } from 'node:url';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { type ComputeChoice, selectCompute } from '../../compute/engine.ts';
import type { Device } from '../../compute/onnx/session.ts';
import type { TrackerFactory, TrackerOptions } from '../base/tracker.ts';
import type { SiamfcEngine } from './engine.ts';
import type { ModelArchitecture } from './model-file.ts';
import { loadModel } from './model-load.ts';
import { readModelWeights } from './model-weights.ts';
import { OrtEngine } from './ort-engine.ts';
import type { SiamfcSettings } from './settings.ts';
import { SiamfcTracker } from './siamfc-tracker.ts';
import { TfjsEngine } from './tfjs-engine.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Where model folders live: `models/` of the repo, or SIAMBENCH_MODELS (absolute, or relative to
 * the working directory) to run the same trackers on other weights, e.g. freshly trained ones.
 * Worker threads inherit the environment, so every worker sees the same choice.
 */
export function modelsRoot(): string {
  const env = process.env.SIAMBENCH_MODELS;
  if (env) return isAbsolute(env) ? env : resolve(env);
  return join(REPO, 'models');
}

export interface SiamfcVariant {
  name: string;
  description: string;
  /** Model folder: relative to modelsRoot() unless absolute. */
  model: string;
  settings: SiamfcSettings;
}

/** What run records keep of a model, whichever engine loaded it. */
interface ModelInfo {
  dir: string;
  trained: boolean;
  architecture: ModelArchitecture;
  meta: Record<string, unknown>;
}

interface Served {
  model: ModelInfo;
  engine: SiamfcEngine;
}

// One loaded model and engine per folder and engine per process (worker): every sequence after the
// first creates its tracker without touching the disk or the weights.
const served = new Map<string, Promise<Served>>();

async function load(dir: string, compute: ComputeChoice): Promise<Served> {
  if (compute.engine === 'ort') {
    const weights = await readModelWeights(dir);
    const j = weights.json;
    const model = { dir, trained: j.trained === true, architecture: j.architecture, meta: j.meta ?? {} };
    return { model, engine: await OrtEngine.create(weights, { device: compute.provider as Device, threads: compute.threads }) };
  }
  const model = await loadModel(dir);
  return { model, engine: new TfjsEngine(model) };
}

function serve(dir: string, compute: ComputeChoice): Promise<Served> {
  const key = `${dir}|${compute.label}`;
  let entry = served.get(key);
  if (!entry) {
    entry = load(dir, compute);
    served.set(key, entry);
    entry.catch(() => served.delete(key)); // a fixed file is read again next time
  }
  return entry;
}

/** What a run record keeps about the model: folder, trained or not, architecture, training record. */
function modelRecord(model: ModelInfo): Record<string, unknown> {
  const rel = relative(REPO, model.dir);
  return {
    model: rel.startsWith('..') ? model.dir : rel,
    trained: model.trained,
    width: model.architecture.width,
    architecture: model.architecture,
    training: model.meta,
  };
}

export function siamfcFactory(variant: SiamfcVariant): TrackerFactory {
  const dir = () => (isAbsolute(variant.model) ? variant.model : join(modelsRoot(), variant.model));
  return {
    name: variant.name,
    description: variant.description,
    deterministic: true,
    needsPixels: true,
    async create(options: TrackerOptions) {
      // Trackers made outside a worker (tests, scripts) resolve the engine themselves.
      const compute = options.compute ?? (await selectCompute({ backend: options.backend }));
      const { model, engine } = await serve(dir(), compute);
      return new SiamfcTracker(engine, variant.settings, modelRecord(model));
    },
  };
}
