import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../src/compute/backend.ts';
import { checkComputeRequest, selectCompute } from '../src/compute/engine.ts';
import { UserError } from '../src/core/errors.ts';
import { toolkitBox, toolkitToImage } from '../src/core/types.ts';
import { decodeRgb } from '../src/images/decode.ts';
import { meanColour, samplePatch } from '../src/images/sample.ts';
import { modelsRoot } from '../src/trackers/siamfc/factory.ts';
import { loadModel } from '../src/trackers/siamfc/model-load.ts';
import { readModelWeights } from '../src/trackers/siamfc/model-weights.ts';
import { initParams, saveModel } from '../src/trackers/siamfc/network.ts';
import { OrtEngine } from '../src/trackers/siamfc/ort-engine.ts';
import { SIAMFC_3S } from '../src/trackers/siamfc/settings.ts';
import { SiamfcTracker } from '../src/trackers/siamfc/siamfc-tracker.ts';
import { TfjsEngine } from '../src/trackers/siamfc/tfjs-engine.ts';
import type { SiamfcEngine } from '../src/trackers/siamfc/engine.ts';
import type { Frame } from '../src/trackers/base/tracker.ts';
import { assertOneLineError, runCli } from './helpers/cli.ts';
import { tempDir } from './helpers/files.ts';
import { SKIP_REALDATA, real } from './helpers/realdata.ts';

// The reference is TensorFlow.js on WASM (XNNPACK kernels): an implementation independent of ORT's.
await selectBackend('wasm');

/** Largest |a - b| over the largest |b|: the parity measure of issue 8 (<= 1e-4). */
function relativeDifference(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  assert.ok(scale > 0, 'a map of zeros proves nothing');
  return diff / scale;
}

/** Exemplar and three search crops of a real frame when ../shared is present, else of a textured pattern. */
async function crops(): Promise<{ z: Float32Array; x: Float32Array }> {
  const z = new Float32Array(127 * 127 * 3);
  const x = new Float32Array(3 * 255 * 255 * 3);
  if (!SKIP_REALDATA) {
    const img = await decodeRgb(real('frames', 'otb', 'Crossing', 'img', '0001.jpg'));
    const fill = meanColour(img);
    samplePatch(img, fill, z, 0, 127, 160, 70, 0.5);
    for (let k = 0; k < 3; k++) samplePatch(img, fill, x, k * 255 * 255 * 3, 255, 100 + 5 * k, 20, 0.55 + 0.02 * k);
  } else {
    z.forEach((_, i) => (z[i] = 128 + 100 * Math.sin(i / 97)));
    x.forEach((_, i) => (x[i] = 128 + 100 * Math.sin(i / 89 + (i % 7))));
  }
  return { z, x };
}

async function compareEngines(dir: string): Promise<{ features: number; responses: number }> {
  const model = await loadModel(dir);
  const ref = new TfjsEngine(model);
  const ort = await OrtEngine.create(await readModelWeights(dir), { device: 'cpu', threads: 1 });
  const { z, x } = await crops();
  const [fr, fo] = [await ref.embedExemplar(z, 1), await ort.embedExemplar(z, 1)];
  assert.deepEqual(fo.shape, fr.shape);
  // Each engine answers with its own exemplar features, as a tracker would.
  const result = {
    features: relativeDifference(fo.data, fr.data),
    responses: relativeDifference(await ort.respond(fo, x, 3), await ref.respond(fr, x, 3)),
  };
  ref.dispose();
  ort.dispose();
  model.dispose();
  return result;
}

for (const name of ['siamfc', 'siamfc-gs']) {
  test(`ORT and TensorFlow.js give the same exemplar features and response maps for the committed ${name} model (<= 1e-4 relative)`, async () => {
    const d = await compareEngines(join(modelsRoot(), name));
    process.stdout.write(`# ${name}: features ${d.features.toExponential(2)}, responses ${d.responses.toExponential(2)}\n`);
    assert.ok(d.features <= 1e-4, `features differ by ${d.features}`);
    assert.ok(d.responses <= 1e-4, `responses differ by ${d.responses}`);
  });
}

test('batch norm folding and grouped convolutions match at width 0.5 with non-trivial statistics and head bias', async (t) => {
  const tmp = tempDir(t, 'siambench-ort-');
  const cfg = { width: 0.5, exemplarSize: 127, searchSize: 239, headScale: 0.001, bnEps: 1e-6, bnMomentum: 0.05 };
  const params = initParams(cfg, 7);
  // Fresh weights have identity batch norm, which folding would pass whatever its formula.
  let k = 0;
  for (const [name, v] of params) {
    k++;
    const n = v.size;
    const wave = (a: number, b: number) =>
      tf.tensor(
        Array.from({ length: n }, (_, i) => a + b * Math.sin(i * 1.7 + k)),
        v.shape,
      );
    if (name.endsWith('/gamma')) v.assign(wave(1, 0.5));
    else if (name.endsWith('/beta') || name.endsWith('/b')) v.assign(wave(0, 0.3));
    else if (name.endsWith('/mean')) v.assign(wave(0, 40));
    else if (name.endsWith('/variance')) v.assign(wave(900, 600));
    else if (name === 'head/bias') v.assign(tf.scalar(-0.25));
  }
  await saveModel(tmp, params, cfg, { trained: false });
  for (const v of params.values()) v.dispose();
  const d = await compareEngines(tmp);
  process.stdout.write(`# width 0.5: features ${d.features.toExponential(2)}, responses ${d.responses.toExponential(2)}\n`);
  assert.ok(d.features <= 1e-4 && d.responses <= 1e-4, JSON.stringify(d));
});

test('the tracker follows the same boxes on real frames with either engine', { skip: SKIP_REALDATA }, async () => {
  const dir = join(modelsRoot(), 'siamfc');
  const model = await loadModel(dir);
  const engines: SiamfcEngine[] = [
    new TfjsEngine(model),
    await OrtEngine.create(await readModelWeights(dir), { device: 'cpu', threads: 1 }),
  ];
  const seq = real('frames', 'otb', 'Crossing');
  const first = (await readFile(join(seq, 'groundtruth_rect.txt'), 'utf8'))
    .split('\n')[0]
    .split(/[\s,]+/)
    .map(Number);
  const frames: Frame[] = [];
  for (let i = 1; i <= 12; i++) {
    const path = join(seq, 'img', `${String(i).padStart(4, '0')}.jpg`);
    frames.push({ index: i - 1, path, ...(await decodeRgb(path)) });
  }
  const boxes = await Promise.all(
    engines.map(async (e) => {
      const t = new SiamfcTracker(e, SIAMFC_3S);
      await t.init(frames[0], toolkitToImage(toolkitBox([first[0], first[1], first[2], first[3]])));
      const out = [];
      for (const f of frames.slice(1)) out.push((await t.update(f)).box);
      return out;
    }),
  );
  let worst = 0;
  for (let i = 0; i < boxes[0].length; i++) for (let j = 0; j < 4; j++) worst = Math.max(worst, Math.abs(boxes[0][i][j] - boxes[1][i][j]));
  process.stdout.write(`# 11 tracked frames of Crossing: largest box difference ${worst.toExponential(2)} px\n`);
  assert.ok(worst < 1e-2, `boxes differ by ${worst} px`);
  for (const e of engines) e.dispose();
  model.dispose();
});

test('engine options: unknown names and contradictory combinations are one-line errors before any work', () => {
  const fails = (req: Parameters<typeof checkComputeRequest>[0], pattern: RegExp) =>
    assert.throws(
      () => checkComputeRequest(req),
      (e: Error) => e instanceof UserError && pattern.test(e.message) && !e.message.includes('\n'),
    );
  fails({ engine: 'onnx' }, /^--engine: 'onnx' is not one of ort, tfjs$/);
  fails({ device: 'gpu' }, /^--device: 'gpu' is not one of cpu, cuda$/);
  fails({ engine: 'tfjs', device: 'cuda' }, /^--device chooses the ONNX Runtime provider/);
  fails({ engine: 'ort', backend: 'wasm' }, /^--backend chooses a TensorFlow.js backend/);
  fails({ backend: 'wasm', device: 'cpu' }, /name different engines/);
  assert.equal(checkComputeRequest({ backend: 'wasm' }).engine, 'tfjs', 'a TensorFlow.js backend implies its engine');
  assert.equal(checkComputeRequest({ device: 'cuda' }).engine, 'ort');
});

test('ORT is the default engine, with intra-op threads split over the workers', async () => {
  const c = await selectCompute({}, 2);
  assert.equal(c.engine, 'ort');
  assert.equal(c.provider, 'cpu');
  assert.ok(c.threads >= 1);
  assert.equal(c.label, `ort/cpu/${c.threads}t`);
  assert.equal((await selectCompute({ threads: 3 })).threads, 3);
  const t = await selectCompute({ engine: 'tfjs' });
  assert.equal(t.label, `tfjs/${t.backend}`);
});

test('--device cuda without the CUDA provider is an error that says how to install it, never a CPU run', async () => {
  const c = await selectCompute({ device: 'cuda' }).catch((e: Error) => e);
  if (!(c instanceof Error)) {
    assert.equal(c.provider, 'cuda', 'where CUDA works, it is what runs');
    return;
  }
  assert.ok(c instanceof UserError);
  assert.match(
    c.message,
    /^--device cuda: the CUDA execution provider .*'ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules\/onnxruntime-node\/script\/install'/,
  );
  assert.ok(!c.message.includes('\n'));
});

test('bench: a bad --engine, or --device cuda where CUDA is absent, is a one-line error', () => {
  assertOneLineError(runCli('bench', ['--engine', 'onnx']), /--engine: 'onnx' is not one of ort, tfjs/);
  const cuda = runCli('bench', ['--device', 'cuda', '--trackers', 'static', '--out', '/nonexistent/never-written']);
  if (cuda.code !== 0) assertOneLineError(cuda, /^error: --device cuda: the CUDA execution provider/);
});
