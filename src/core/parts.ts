import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from './errors.ts';
import { writeFileAtomic } from './fs-atomic.ts';
import { checkRegular } from './regular-file.ts';

/**
 * Binary files (model weights, checkpoints) kept in parts of at most PART_BYTES each, so that every
 * file fits a repository's per-file limit: a full-width SiamFC is 9.3 MB of float32, its training
 * checkpoint twice that, and research results (trained models, a checkpoint that must survive a
 * session) are committed. 4 MiB is the shard size TensorFlow.js writes its own weights in. A file
 * that fits is written whole under its plain name (`<stem>.bin`, the format every earlier model
 * has); a larger one as `<stem>-1-of-N.bin` ... `<stem>-N-of-N.bin`, to be read back in that order.
 */
export const PART_BYTES = 4 * 1024 * 1024;

/** The file names `bytes` bytes are written under. */
export function partNames(stem: string, bytes: number, partBytes = PART_BYTES): string[] {
  const n = Math.max(1, Math.ceil(bytes / partBytes));
  if (n === 1) return [`${stem}.bin`];
  return Array.from({ length: n }, (_, i) => `${stem}-${i + 1}-of-${n}.bin`);
}

/** The pattern of a stem's names, whole or in parts (for checking names read from a manifest). */
export function partPattern(stem: string): RegExp {
  return new RegExp(`^${stem}(-(\\d+)-of-(\\d+))?\\.bin$`);
}

/** Writes the bytes as partNames says, each part atomically; the names written, in order. */
export async function writeParts(dir: string, stem: string, bytes: Uint8Array, partBytes = PART_BYTES): Promise<string[]> {
  const names = partNames(stem, bytes.length, partBytes);
  for (const [i, name] of names.entries()) await writeFileAtomic(join(dir, name), bytes.subarray(i * partBytes, (i + 1) * partBytes));
  return names;
}

/**
 * The parts' bytes concatenated. `owner` is the manifest that names them (model.json, state.json),
 * for the one-line error when one is missing; a part that is not a regular file (a FIFO would block
 * the read) is refused the same way.
 */
export async function readParts(dir: string, names: readonly string[], owner: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (const name of names) {
    const file = join(dir, name);
    if (!existsSync(file)) throw new UserError(`${file}: missing (${owner} names it)`);
    checkRegular(file);
    chunks.push(await readFile(file));
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}
