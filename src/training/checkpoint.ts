import * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs-atomic.ts';

/**
 * A resumable training state: named float32 tensors (weights, momentum velocities, anything else)
 * in one binary file, their shapes and offsets plus the caller's JSON state in another. The JSON is
 * written last, so a checkpoint is complete exactly when state.json names its tensors.
 */
export interface CheckpointContent<S> {
  tensors: Map<string, tf.Tensor>;
  state: S;
}

interface Manifest<S> {
  format: 'siambench-checkpoint-1';
  tensors: { name: string; shape: number[]; offset: number }[];
  state: S;
}

export async function saveCheckpoint<S>(dir: string, content: CheckpointContent<S>): Promise<void> {
  const entries: Manifest<S>['tensors'] = [];
  let total = 0;
  for (const [name, t] of content.tensors) {
    entries.push({ name, shape: t.shape, offset: total });
    total += t.size;
  }
  const buf = new Float32Array(total);
  for (const [i, t] of [...content.tensors.values()].entries()) buf.set(await t.data() as Float32Array, entries[i].offset);
  await writeFileAtomic(join(dir, 'tensors.bin'), new Uint8Array(buf.buffer));
  const manifest: Manifest<S> = { format: 'siambench-checkpoint-1', tensors: entries, state: content.state };
  await writeFileAtomic(join(dir, 'state.json'), JSON.stringify(manifest, null, 1));
}

export function hasCheckpoint(dir: string): boolean {
  return existsSync(join(dir, 'state.json'));
}

/** Reads a checkpoint; the tensors are new and belong to the caller. */
export async function loadCheckpoint<S>(dir: string): Promise<CheckpointContent<S>> {
  const stateFile = join(dir, 'state.json');
  let manifest: Manifest<S>;
  try {
    manifest = JSON.parse(await readFile(stateFile, 'utf8')) as Manifest<S>;
  } catch (err) {
    throw new UserError(`${stateFile}: not a readable checkpoint (${(err as Error).message})`);
  }
  if (manifest.format !== 'siambench-checkpoint-1') throw new UserError(`${stateFile}: unknown checkpoint format '${String(manifest.format)}'`);
  const raw = await readFile(join(dir, 'tensors.bin'));
  const values = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
  const tensors = new Map<string, tf.Tensor>();
  for (const e of manifest.tensors) {
    const size = e.shape.reduce((a, b) => a * b, 1);
    if (e.offset + size > values.length) throw new UserError(`${join(dir, 'tensors.bin')}: shorter than state.json says (tensor ${e.name})`);
    tensors.set(e.name, tf.tensor(values.subarray(e.offset, e.offset + size), e.shape));
  }
  return { tensors, state: manifest.state };
}
