import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PART_BYTES } from '../src/core/parts.ts';
import { loadCheckpoint, saveCheckpoint } from '../src/training/checkpoint.ts';
import type { ParamArray } from '../src/training/trainable.ts';
import { tempDir } from './helpers/files.ts';

/**
 * A checkpoint is two files written one after the other; a kill between them must leave a
 * checkpoint whose arrays and state belong together (the one before), never epoch N's state with
 * epoch N + 1's weights.
 */

const content = (epoch: number) => ({
  arrays: new Map<string, ParamArray>([
    ['var/w', { shape: [2, 2], data: Float32Array.from([1, 2, 3, 4].map((x) => x * epoch)) }],
    ['velocity/w', { shape: [3], data: Float32Array.from([epoch, -epoch, 0.5]) }],
  ]),
  state: { epoch },
});

const bins = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.bin'));

test('a save that dies between its two writes leaves the previous checkpoint whole', async (t) => {
  const dir = tempDir(t, 'siambench-ckpt-');
  await saveCheckpoint(dir, content(1));
  // An immutable state.json makes the second write fail after the first, as a kill there would.
  if (spawnSync('chattr', ['+i', join(dir, 'state.json')]).status !== 0) {
    t.skip('chattr +i is not available here');
    return;
  }
  try {
    await assert.rejects(saveCheckpoint(dir, content(2)), /EPERM/);
  } finally {
    spawnSync('chattr', ['-i', join(dir, 'state.json')]);
  }
  const got = await loadCheckpoint<{ epoch: number }>(dir);
  assert.deepEqual(got.state, { epoch: 1 });
  assert.deepEqual([...got.arrays.get('var/w')!.data], [1, 2, 3, 4], "epoch 1's arrays with epoch 1's state");
  assert.deepEqual([...got.arrays.get('velocity/w')!.data], [1, -1, 0.5]);
  // The next whole save replaces both, and removes every arrays file its state.json does not name.
  await saveCheckpoint(dir, content(3));
  assert.equal(bins(dir).length, 1);
  const again = await loadCheckpoint<{ epoch: number }>(dir);
  assert.deepEqual(again.state, { epoch: 3 });
  assert.deepEqual([...again.arrays.get('var/w')!.data], [3, 6, 9, 12]);
});

test('an older checkpoint (tensors.bin, no file field) resumes, and the next save replaces it', async (t) => {
  const dir = tempDir(t, 'siambench-ckpt-legacy-');
  await saveCheckpoint(dir, content(2));
  const [file] = bins(dir);
  renameSync(join(dir, file), join(dir, 'tensors.bin'));
  const manifest = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
  delete manifest.file;
  writeFileSync(join(dir, 'state.json'), JSON.stringify(manifest));
  const got = await loadCheckpoint<{ epoch: number }>(dir);
  assert.deepEqual([...got.arrays.get('var/w')!.data], [2, 4, 6, 8]);
  await saveCheckpoint(dir, content(4));
  assert.deepEqual(
    bins(dir).filter((f) => f === 'tensors.bin'),
    [],
  );
  assert.deepEqual((await loadCheckpoint<{ epoch: number }>(dir)).state, { epoch: 4 });
});

test('a damaged arrays file, or a file field of another form, is a one-line error naming it', async (t) => {
  const dir = tempDir(t, 'siambench-ckpt-bad-');
  await saveCheckpoint(dir, content(1));
  const [file] = bins(dir);
  const raw = readFileSync(join(dir, file));
  raw[5] ^= 0xff;
  writeFileSync(join(dir, file), raw);
  await assert.rejects(
    loadCheckpoint(dir),
    (e: Error) => e.message === `${join(dir, file)}: its content does not match its name (damaged)`,
  );
  const manifest = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
  manifest.file = '../../etc/passwd';
  writeFileSync(join(dir, 'state.json'), JSON.stringify(manifest));
  await assert.rejects(
    loadCheckpoint(dir),
    /state\.json: file\(s\): expected tensors-<16 hex>\.bin or its parts .*, got \["\.\.\/\.\.\/etc\/passwd"\]$/,
  );
});

/** Arrays of a full-width network's size: over PART_BYTES, so they are saved in parts. */
const large = (epoch: number) => ({
  arrays: new Map<string, ParamArray>([
    ['var/w', { shape: [5, 1 << 20], data: Float32Array.from({ length: 5 << 20 }, (_, i) => (i % 997) * epoch) }],
  ]),
  state: { epoch },
});

test('arrays over 4 MiB go to parts of at most 4 MiB that state.json lists; they read back whole and the next save replaces them', async (t) => {
  const dir = tempDir(t, 'siambench-ckpt-parts-');
  await saveCheckpoint(dir, large(1));
  const manifest = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
  // 20 MiB of float32 in 4 MiB parts: five, numbered in order, one content hash.
  assert.equal(manifest.file, undefined);
  assert.equal(manifest.files.length, 5);
  assert.deepEqual(bins(dir).sort(), [...manifest.files].sort());
  manifest.files.forEach((f: string, i: number) => assert.match(f, new RegExp(`^tensors-[0-9a-f]{16}-${i + 1}-of-5\\.bin$`)));
  for (const f of manifest.files) assert.ok(statSync(join(dir, f)).size <= PART_BYTES, f);
  const got = await loadCheckpoint<{ epoch: number }>(dir);
  assert.deepEqual(got.arrays.get('var/w')!.data, large(1).arrays.get('var/w')!.data);
  await saveCheckpoint(dir, large(2));
  const next = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')).files;
  assert.deepEqual(bins(dir).sort(), [...next].sort(), "the first save's parts are gone");
  await saveCheckpoint(dir, content(3));
  assert.equal(bins(dir).length, 1, 'a small save leaves one file');
});

test('a split checkpoint with a part missing, swapped or from another save is a one-line error naming it', async (t) => {
  const dir = tempDir(t, 'siambench-ckpt-parts-bad-');
  await saveCheckpoint(dir, large(1));
  const manifest = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
  const files: string[] = manifest.files;
  const write = (m: unknown) => writeFileSync(join(dir, 'state.json'), JSON.stringify(m));
  write({ ...manifest, files: [files[1], files[0], ...files.slice(2)] });
  await assert.rejects(loadCheckpoint(dir), /state\.json: file\(s\): expected tensors-<16 hex>\.bin or its parts/);
  write({ ...manifest, files: [...files.slice(0, 4), files[4].replace(/^tensors-[0-9a-f]{16}/, 'tensors-0000000000000000')] });
  await assert.rejects(loadCheckpoint(dir), /file\(s\): expected/);
  write(manifest);
  rmSync(join(dir, files[3]));
  await assert.rejects(loadCheckpoint(dir), (e: Error) => e.message === `${join(dir, files[3])}: missing (state.json names it)`);
});
