import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs-atomic.ts';
import { readParts, writeParts } from '../core/parts.ts';
import type { ParamArray } from './trainable.ts';
import { readUtf8 } from '../core/text-file.ts';

/**
 * A resumable training state: named float32 arrays (weights, momentum velocities, moving statistics)
 * in one binary file, their shapes and offsets plus the caller's JSON state in another. The JSON is
 * written last, so a checkpoint is complete exactly when state.json names its arrays. The arrays go
 * to a new file each time, named by their content's hash, and state.json names that file: a kill
 * between the two writes leaves the previous state.json with its own arrays (one fixed name would
 * pair epoch N's counters and generator state with epoch N + 1's weights, and the resumed run would
 * silently differ from an uninterrupted one). Files no state.json names are removed after it is
 * written. The format is the one TensorFlow.js-only training wrote (its tensors.bin, no `file`), so
 * its checkpoints still resume on either engine. Arrays over 4 MiB (a full-width network's) go to
 * parts of that file, `tensors-<hash>-K-of-N.bin` (core/parts.ts), which state.json lists as `files`.
 */
export interface CheckpointContent<S> {
  arrays: Map<string, ParamArray>;
  state: S;
}

interface Manifest<S> {
  format: 'siambench-checkpoint-1';
  /** The arrays' file, `tensors-<sha256, 16 hex>.bin`; absent in older checkpoints: tensors.bin. */
  file?: string;
  /** Instead of `file`, when the arrays are split: its parts in order. */
  files?: string[];
  tensors: { name: string; shape: number[]; offset: number }[];
  state: S;
}

const LEGACY_FILE = 'tensors.bin';
const HASHED_FILE = /^tensors-([0-9a-f]{16})(-(\d+)-of-(\d+))?\.bin$/;
const hashOf = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

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
  const bytes = new Uint8Array(buf.buffer);
  const files = await writeParts(dir, `tensors-${hashOf(bytes)}`, bytes);
  const where = files.length === 1 ? { file: files[0] } : { files };
  const manifest: Manifest<S> = { format: 'siambench-checkpoint-1', ...where, tensors: entries, state: content.state };
  await writeFileAtomic(join(dir, 'state.json'), JSON.stringify(manifest, null, 1));
  for (const f of await readdir(dir))
    if (!files.includes(f) && (f === LEGACY_FILE || HASHED_FILE.test(f))) await rm(join(dir, f), { force: true });
}

export function hasCheckpoint(dir: string): boolean {
  return existsSync(join(dir, 'state.json'));
}

/**
 * The hash the arrays' file names carry (undefined for the legacy tensors.bin), after checking that
 * they are this checkpoint's own files: one hash, parts numbered 1..N of N in order.
 */
function checkedNames(stateFile: string, names: unknown): string | undefined {
  if (Array.isArray(names) && names.length === 1 && names[0] === LEGACY_FILE) return undefined;
  const n = Array.isArray(names) ? names.length : 0;
  const parsed = Array.isArray(names) ? names.map((f) => (typeof f === 'string' ? HASHED_FILE.exec(f) : null)) : [];
  const whole = n === 1 && parsed[0] !== null && parsed[0][2] === undefined;
  const split = n > 1 && parsed.every((m, i) => m !== null && m[1] === parsed[0]![1] && Number(m[3]) === i + 1 && Number(m[4]) === n);
  if (n === 0 || !(whole || split))
    throw new UserError(
      `${stateFile}: file(s): expected tensors-<16 hex>.bin or its parts -1-of-N ... -N-of-N, got ${JSON.stringify(names)}`,
    );
  return parsed[0]![1];
}

/** Reads a checkpoint into new arrays. */
export async function loadCheckpoint<S>(dir: string): Promise<CheckpointContent<S>> {
  const stateFile = join(dir, 'state.json');
  let manifest: Manifest<S>;
  try {
    manifest = JSON.parse(await readUtf8(stateFile)) as Manifest<S>;
  } catch (err) {
    throw new UserError(`${stateFile}: not a readable checkpoint (${(err as Error).message})`);
  }
  if (manifest.format !== 'siambench-checkpoint-1')
    throw new UserError(`${stateFile}: unknown checkpoint format '${String(manifest.format)}'`);
  const names = manifest.files ?? [manifest.file ?? LEGACY_FILE];
  const hash = checkedNames(stateFile, names);
  const binFile = join(dir, names[0]);
  const raw = await readParts(dir, names, 'state.json');
  if (hash !== undefined && hashOf(raw) !== hash) throw new UserError(`${binFile}: its content does not match its name (damaged)`);
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
