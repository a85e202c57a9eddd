import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend } from '../src/compute/backend.ts';
import { PART_BYTES, partNames, readParts, writeParts } from '../src/core/parts.ts';
import { modelFingerprint } from '../src/regress/fingerprint.ts';
import { saveModelArrays } from '../src/trackers/siamfc/model-file.ts';
import { loadModel } from '../src/trackers/siamfc/model-load.ts';
import { readModelWeights } from '../src/trackers/siamfc/model-weights.ts';
import { type NetworkConfig } from '../src/trackers/siamfc/network.ts';
import { inferenceShapes } from '../src/trackers/siamfc/model-weights.ts';
import { tempDir } from './helpers/files.ts';

/**
 * A full-width SiamFC is 9.3 MB of float32, over the repository's per-file limit: its weights are
 * written in parts of at most 4 MiB that model.json lists, and every reader (both engines' loader,
 * the fingerprints that tie results to weights, --init-from's record) sees the same bytes a single
 * weights.bin would hold.
 */

const cfg = (width: number): NetworkConfig => ({
  width,
  exemplarSize: 127,
  searchSize: 255,
  headScale: 0.001,
  bnEps: 1e-5,
  bnMomentum: 0.05,
});

/** Every tensor a width's model holds, filled with distinct values (a shifted part would show). */
function arrays(width: number): Map<string, { shape: number[]; data: Float32Array }> {
  let k = 0;
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name, shape] of inferenceShapes(width)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const variance = name.endsWith('/variance');
    out.set(name, { shape, data: Float32Array.from({ length: n }, () => (variance ? 1 + (k++ % 7) : ((k++ % 10007) - 5000) * 1e-4)) });
  }
  return out;
}

const META = { loss: 'logistic', steps: 1 };
const bins = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.bin'))
    .sort();

test('parts: names, sizes and the bytes read back, whole or split', async (t) => {
  const dir = tempDir(t, 'siambench-parts-');
  assert.deepEqual(partNames('w', 0, 4), ['w.bin']);
  assert.deepEqual(partNames('w', 4, 4), ['w.bin']);
  assert.deepEqual(partNames('w', 9, 4), ['w-1-of-3.bin', 'w-2-of-3.bin', 'w-3-of-3.bin']);
  const bytes = Uint8Array.from({ length: 9 }, (_, i) => i + 1);
  const names = await writeParts(dir, 'w', bytes, 4);
  assert.deepEqual(
    names.map((n) => [...readFileSync(join(dir, n))]),
    [[1, 2, 3, 4], [5, 6, 7, 8], [9]],
  );
  assert.deepEqual([...(await readParts(dir, names, 'x.json'))], [...bytes]);
  rmSync(join(dir, names[1]));
  await assert.rejects(readParts(dir, names, 'x.json'), (e: Error) => e.message === `${join(dir, names[1])}: missing (x.json names it)`);
});

test('a full-width model is saved in parts of at most 4 MiB and loads the same tensors as the one-file form', async (t) => {
  const dir = tempDir(t, 'siambench-model-parts-');
  const split = join(dir, 'split');
  const want = arrays(1);
  await saveModelArrays(split, want, () => true, cfg(1), META);
  const json = JSON.parse(readFileSync(join(split, 'model.json'), 'utf8'));
  const total = [...want.values()].reduce((a, p) => a + p.data.length * 4, 0);
  assert.ok(total > 2 * PART_BYTES, `${total} bytes: a full-width network needs three parts`);
  assert.equal(json.weights.file, undefined);
  assert.deepEqual(json.weights.files, ['weights-1-of-3.bin', 'weights-2-of-3.bin', 'weights-3-of-3.bin']);
  assert.deepEqual(bins(split), json.weights.files);
  for (const f of json.weights.files) assert.ok(statSync(join(split, f)).size <= PART_BYTES, f);

  // The one-file form of the same model, by hand: the parts concatenated, model.json naming weights.bin.
  const whole = join(dir, 'whole');
  cpSync(split, whole, { recursive: true });
  writeFileSync(join(whole, 'weights.bin'), Buffer.concat(json.weights.files.map((f: string) => readFileSync(join(split, f)))));
  for (const f of json.weights.files) rmSync(join(whole, f));
  const { files: _parts, ...rest } = json.weights;
  writeFileSync(join(whole, 'model.json'), JSON.stringify({ ...json, weights: { file: 'weights.bin', ...rest } }));

  const [a, b] = [await readModelWeights(split), await readModelWeights(whole)];
  for (const [name, p] of want) {
    assert.deepEqual(a.tensors.get(name)!.data, p.data, name);
    assert.deepEqual(b.tensors.get(name)!.data, p.data, name);
  }
  // The TensorFlow.js engine's loader reads through the same path.
  await selectBackend();
  const loaded = await loadModel(split);
  assert.deepEqual(await loaded.params.get('conv5/w')!.data(), want.get('conv5/w')!.data);
  for (const v of loaded.params.values()) v.dispose();
});

test("a split model's fingerprint follows every part, and a re-save in fewer files leaves none of the old parts", async (t) => {
  const dir = tempDir(t, 'siambench-model-parts-fp-');
  await saveModelArrays(dir, arrays(1), () => true, cfg(1), META);
  const before = modelFingerprint(dir);
  assert.match(before ?? '', /^[0-9a-f]{64}$/);
  const last = join(dir, 'weights-3-of-3.bin');
  const raw = readFileSync(last);
  raw[raw.length - 1] ^= 1;
  writeFileSync(last, raw);
  assert.notEqual(modelFingerprint(dir), before, 'a change in the last part changes the fingerprint');
  rmSync(last);
  assert.equal(modelFingerprint(dir), null, 'a part missing: no fingerprint, as a missing weights.bin');

  await saveModelArrays(dir, arrays(0.25), () => true, cfg(0.25), META);
  assert.deepEqual(bins(dir), ['weights.bin']);
  assert.equal(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).weights.file, 'weights.bin');
  assert.ok((await readModelWeights(dir)).tensors.size > 0);
});

test('model.json naming files that are not its own parts in order is a one-line error, before anything is read', async (t) => {
  const dir = tempDir(t, 'siambench-model-parts-bad-');
  await saveModelArrays(dir, arrays(1), () => true, cfg(1), META);
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const files: string[] = json.weights.files;
  const msg = `${join(dir, 'model.json')}: weights.files must list weights-1-of-N.bin ... weights-N-of-N.bin in order`;
  for (const bad of [['../../etc/passwd'], [files[1], files[0], files[2]], files.slice(0, 2), 'weights.bin', []]) {
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...json, weights: { ...json.weights, files: bad } }));
    await assert.rejects(readModelWeights(dir), (e: Error) => e.message === msg, JSON.stringify(bad));
  }
});
