import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../core/errors.ts';
import { checkRegular } from '../../benchmarks/common/read-file.ts';
import { writeFileAtomic } from '../../core/fs-atomic.ts';
import { partPattern, writeParts } from '../../core/parts.ts';
import { LAYERS, type NetworkConfig, type Params, STRIDE, layerChannels } from './network.ts';
import { readUtf8, readUtf8Sync } from '../../core/text-file.ts';

/**
 * A SiamFC model on disk: `model.json` (format id, architecture, tensor manifest, whether it is
 * trained and how) and `weights.bin` (every tensor as little-endian float32, concatenated in manifest
 * order), or, over 4 MiB (a full-width network), the same bytes in parts that model.json lists
 * (core/parts.ts). The weights are written first and model.json last, so a model is complete exactly
 * when its model.json exists and names its tensors.
 */
const MODEL_FORMAT = 'siambench-siamfc-1';

export interface ModelArchitecture extends NetworkConfig {
  name: 'siamfc-alexnet';
  /** Output channels of conv1..conv5 at this width. */
  channels: number[];
  /** Tracking crop sides. */
  instanceSize: number;
  stride: number;
  /**
   * Inference-only weights with batch norm already folded into every convolution: `convN/w` and
   * `convN/b` for all five layers, no `bnN/*` (imported networks, e.g. the original SiamFC-3s).
   * They track like any model but cannot be trained further.
   */
  folded?: boolean;
}

export interface TensorEntry {
  name: string;
  shape: number[];
  offset: number; // in float32 elements
  trainable: boolean;
}

export interface ModelJson {
  format: typeof MODEL_FORMAT;
  architecture: ModelArchitecture;
  /** False for seeded, untrained weights: they exist for wiring, not for tracking well. */
  trained: boolean;
  /** The training record (loss, settings, schedule, data, steps, ...) as the trainer passed it. */
  meta: Record<string, unknown>;
  /** `file` when the weights fit one file, else `files`: the parts in order. */
  weights: { file?: 'weights.bin'; files?: string[]; dtype: 'float32'; tensors: TensorEntry[] };
}

const WEIGHTS_STEM = 'weights';
const WEIGHTS_NAME = partPattern(WEIGHTS_STEM);

/**
 * The weight files model.json names, in order, checked: names of this model's own parts only (a
 * hand-edited `../x.bin` would read outside the folder), numbered 1..N of N.
 */
export function weightFiles(json: ModelJson, dir: string): string[] {
  const files: unknown = json.weights?.files;
  if (files === undefined) return ['weights.bin'];
  const n = Array.isArray(files) ? files.length : 0;
  const ok =
    n > 0 &&
    Array.isArray(files) &&
    files.every((f, i) => {
      const m = typeof f === 'string' ? WEIGHTS_NAME.exec(f) : null;
      return m !== null && Number(m[2]) === i + 1 && Number(m[3]) === n;
    });
  if (!ok) throw new UserError(`${join(dir, 'model.json')}: weights.files must list weights-1-of-N.bin ... weights-N-of-N.bin in order`);
  return files as string[];
}

/**
 * The files a model folder's content is (model.json, then its weights in order), or null without a
 * model.json: what fingerprints hash. A model.json that cannot be read counts with weights.bin, so
 * that its fingerprint still follows its bytes.
 */
export function modelFiles(dir: string): string[] | null {
  const file = join(dir, 'model.json');
  if (!existsSync(file)) return null;
  let weights = ['weights.bin'];
  try {
    weights = weightFiles(JSON.parse(readUtf8Sync(file)) as ModelJson, dir);
  } catch {
    // Unreadable or malformed: loading it fails with its own one-line error.
  }
  return [file, ...weights.map((w) => join(dir, w))];
}

function describeArchitecture(cfg: NetworkConfig): ModelArchitecture {
  return { name: 'siamfc-alexnet', ...cfg, channels: layerChannels(cfg.width), instanceSize: 255, stride: STRIDE };
}

/**
 * A model counts as trained when its record says it took optimiser steps; `meta.trained`, when
 * present, says so explicitly (the seeded placeholder models set it to false).
 */
function isTrained(meta: Record<string, unknown>): boolean {
  if (typeof meta.trained === 'boolean') return meta.trained;
  return typeof meta.steps === 'number' && meta.steps > 0;
}

/** Name and tfjs-layout shape of every tensor a folded model of this width holds. */
export function foldedShapes(width: number): Map<string, number[]> {
  const channels = layerChannels(width);
  const shapes = new Map<string, number[]>();
  let cin = 3;
  LAYERS.forEach((l, i) => {
    shapes.set(`${l.name}/w`, [l.kernel, l.kernel, cin / l.groups, channels[i]]);
    shapes.set(`${l.name}/b`, [channels[i]]);
    cin = channels[i];
  });
  shapes.set('head/bias', []);
  return shapes;
}

/** Saves TensorFlow.js parameters (the tracker's, a seeded initialisation). */
export async function saveModel(dir: string, params: Params, cfg: NetworkConfig, meta: Record<string, unknown>): Promise<void> {
  const arrays = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name, v] of params) arrays.set(name, { shape: v.shape, data: (await v.data()) as Float32Array });
  await saveModelArrays(dir, arrays, (name) => params.get(name)!.trainable, cfg, meta);
}

/**
 * Saves parameters held in plain arrays (what training on any engine ends with), in the same
 * format and tensor order as they are given.
 */
export async function saveModelArrays(
  dir: string,
  params: ReadonlyMap<string, { shape: number[]; data: Float32Array }>,
  trainable: (name: string) => boolean,
  cfg: NetworkConfig,
  meta: Record<string, unknown>,
): Promise<void> {
  await writeModel(dir, params, trainable, describeArchitecture(cfg), meta);
}

/**
 * Saves inference-only weights with batch norm folded in (foldedShapes names them): what an import
 * of an already folded network writes.
 */
export async function saveFoldedModel(
  dir: string,
  params: ReadonlyMap<string, { shape: number[]; data: Float32Array }>,
  cfg: NetworkConfig,
  meta: Record<string, unknown>,
): Promise<void> {
  for (const [name, shape] of foldedShapes(cfg.width)) {
    if (params.get(name)?.shape.join() !== shape.join()) throw new Error(`saveFoldedModel: ${name} must have shape [${shape}]`);
  }
  await writeModel(dir, params, () => false, { ...describeArchitecture(cfg), folded: true }, meta);
}

async function writeModel(
  dir: string,
  params: ReadonlyMap<string, { shape: number[]; data: Float32Array }>,
  trainable: (name: string) => boolean,
  architecture: ModelArchitecture,
  meta: Record<string, unknown>,
): Promise<void> {
  const tensors: TensorEntry[] = [];
  let total = 0;
  for (const [name, p] of params) {
    const size = p.shape.reduce((a, b) => a * b, 1);
    if (p.data.length !== size) throw new Error(`saveModel: ${name} holds ${p.data.length} values for shape [${p.shape}]`);
    tensors.push({ name, shape: p.shape, offset: total, trainable: trainable(name) });
    total += size;
  }
  const buf = new Float32Array(total);
  for (const [i, p] of [...params.values()].entries()) buf.set(p.data, tensors[i].offset);
  const files = await writeParts(dir, WEIGHTS_STEM, new Uint8Array(buf.buffer));
  const { trained: _ignored, ...record } = meta;
  const json: ModelJson = {
    format: MODEL_FORMAT,
    architecture,
    trained: isTrained(meta),
    meta: record,
    weights: { ...(files.length === 1 ? { file: 'weights.bin' } : { files }), dtype: 'float32', tensors },
  };
  await writeFileAtomic(join(dir, 'model.json'), JSON.stringify(json, null, 1) + '\n');
  // Weights of an earlier model in this folder, split differently, would be left beside it unread.
  for (const f of await readdir(dir)) if (WEIGHTS_NAME.test(f) && !files.includes(f)) await rm(join(dir, f), { force: true });
}

/** Reads model.json only (no weights): what run records and the registry describe. */
export async function readModelJson(dir: string): Promise<ModelJson> {
  const file = join(dir, 'model.json');
  let json: ModelJson;
  // A FIFO named model.json would block the read forever; a folder fail it with EISDIR.
  if (existsSync(file)) checkRegular(file);
  try {
    json = JSON.parse(await readUtf8(file)) as ModelJson;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    // JSON.parse quotes the text around the error, newlines included: one line only.
    const why = e.message.replace(/\s+/g, ' ').slice(0, 200);
    throw new UserError(`${file}: ${e.code === 'ENOENT' ? 'missing (no SiamFC model in this directory)' : `not readable JSON (${why})`}`);
  }
  if (json?.format !== MODEL_FORMAT)
    throw new UserError(`${file}: unknown model format '${String(json?.format)}' (expected ${MODEL_FORMAT})`);
  const a = json.architecture;
  if (!a || !(a.width > 0) || !(a.exemplarSize > 0) || !(a.instanceSize > 0) || !Number.isFinite(a.headScale) || !(a.bnEps > 0)) {
    throw new UserError(`${file}: architecture needs width, exemplarSize, instanceSize, headScale and bnEps`);
  }
  return json;
}
