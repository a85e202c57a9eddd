import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs-atomic.ts';
import type { ParamArray } from './trainable.ts';

/**
 * A resumable training state: named float32 arrays (weights, momentum velocities, moving statistics)
 * in one binary file, their shapes and offsets plus the caller's JSON state in another. The JSON is
 * written last, so a checkpoint is complete exactly when state.json names its arrays. The format is
 * the one TensorFlow.js-only training wrote, so its checkpoints still resume on either engine.
 */
export interface CheckpointContent<S> {
  arrays: Map<string, ParamArray>;
  state: S;
}

interface Manifest<S> {
  format: 'siambench-checkpoint-1';
  tensors: { name: string; shape: number[]; offset: number }[];
  state: S;
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

export async function saveCheckpoint<S>(dir: string, content: CheckpointContent<S>): Promise<void> {
  const entries: Manifest<S>['tensors'] = [];
  let total = 0;
  for (const [name, a] of content.arrays) {
    if (a.data.length !== size(a.shape)) throw new Error(`checkpoint: ${name} holds ${a.data.length} values for shape [${a.shape}]`);
    entries.push({ name, shape: a.shape, offset: total });
    total += a.data.length;
  }
  const buf = new Float32Array(total);
  for (const [i, a] of [...content.arrays.values()].entries()) buf.set(a.data, entries[i].offset);
  await writeFileAtomic(join(dir, 'tensors.bin'), new Uint8Array(buf.buffer));
  const manifest: Manifest<S> = { format: 'siambench-checkpoint-1', tensors: entries, state: content.state };
  await writeFileAtomic(join(dir, 'state.json'), JSON.stringify(manifest, null, 1));
}

export function hasCheckpoint(dir: string): boolean {
  return existsSync(join(dir, 'state.json'));
}

/** Reads a checkpoint into new arrays. */
export async function loadCheckpoint<S>(dir: string): Promise<CheckpointContent<S>> {
  const stateFile = join(dir, 'state.json');
  let manifest: Manifest<S>;
  try {
    manifest = JSON.parse(await readFile(stateFile, 'utf8')) as Manifest<S>;
  } catch (err) {
    throw new UserError(`${stateFile}: not a readable checkpoint (${(err as Error).message})`);
  }
  if (manifest.format !== 'siambench-checkpoint-1')
    throw new UserError(`${stateFile}: unknown checkpoint format '${String(manifest.format)}'`);
  const binFile = join(dir, 'tensors.bin');
  let raw: Buffer;
  try {
    raw = await readFile(binFile);
  } catch {
    throw new UserError(`${binFile}: missing (state.json names it)`);
  }
  if (raw.length % 4 !== 0) throw new UserError(`${binFile}: not whole float32 values (${raw.length} bytes)`);
  const values = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
  const arrays = new Map<string, ParamArray>();
  for (const e of manifest.tensors) {
    const n = size(e.shape);
    if (e.offset + n > values.length) throw new UserError(`${binFile}: shorter than state.json says (tensor ${e.name})`);
    arrays.set(e.name, { shape: e.shape, data: values.slice(e.offset, e.offset + n) });
  }
  return { arrays, state: manifest.state };
}
