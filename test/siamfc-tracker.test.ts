import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../src/compute/backend.ts';
import { type ImageBox, imageBox } from '../src/core/types.ts';
import type { FeatureMaps, SiamfcEngine } from '../src/trackers/siamfc/engine.ts';
import { modelsRoot } from '../src/trackers/siamfc/factory.ts';
import { loadModel } from '../src/trackers/siamfc/model-load.ts';
import { embed, xcorr } from '../src/trackers/siamfc/network.ts';
import { SIAMFC_3S } from '../src/trackers/siamfc/settings.ts';
import { SiamfcTracker } from '../src/trackers/siamfc/siamfc-tracker.ts';
import { TfjsEngine } from '../src/trackers/siamfc/tfjs-engine.ts';
import { getTrackerFactory } from '../src/trackers/registry.ts';
import type { Frame } from '../src/trackers/base/tracker.ts';

await selectBackend('wasm');

/**
 * A real engine without a network: features are the crop itself and the response is the negative
 * mean squared difference between the exemplar and the search crop shifted by 8 px per cell (every
 * 3rd pixel). Classic template matching: on a textured square it peaks where the square went, so
 * the tracker's geometry alone decides whether the box follows.
 */
class SsdEngine implements SiamfcEngine {
  readonly name = 'ssd';
  readonly exemplarSize = 127;
  readonly instanceSize = 255;
  readonly responseSize = 17;
  exemplarCrops: Float32Array[] = [];
  searchCrops: Float32Array[] = [];

  async embedExemplar(crops: Float32Array, n: number): Promise<FeatureMaps> {
    this.exemplarCrops.push(crops.slice());
    return { data: crops.slice(), shape: [n, 127, 127, 3] };
  }

  async respond(ex: FeatureMaps, crops: Float32Array, n: number): Promise<Float32Array> {
    this.searchCrops.push(crops.slice());
    const out = new Float32Array(n * 289);
    for (let k = 0; k < n; k++) {
      const base = k * 255 * 255 * 3;
      for (let i = 0; i < 17; i++) {
        for (let j = 0; j < 17; j++) {
          let ssd = 0;
          let count = 0;
          for (let v = 0; v < 127; v += 3) {
            for (let u = 0; u < 127; u += 3) {
              const a = (v * 127 + u) * 3;
              const b = base + ((v + 8 * i) * 255 + u + 8 * j) * 3;
              for (let c = 0; c < 3; c++) ssd += (ex.data[a + c] - crops[b + c]) ** 2;
              count += 3;
            }
          }
          out[k * 289 + i * 17 + j] = -ssd / count / 100;
        }
      }
    }
    return out;
  }

  dispose(): void {}
}

const W = 320;
const H = 240;

/**
 * A smooth textured background and a 40 x 40 square with a smooth two-colour texture at `box`
 * (integer corners). Smooth: the SSD engine samples shifts 8 search pixels apart, so finer
 * texture would alias between cells.
 */
function squareFrame(index: number, box: ImageBox): Frame {
  const d = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const o = (y * W + x) * 3;
      d[o] = 90 + 30 * Math.sin(x / 7);
      d[o + 1] = 100 + 30 * Math.cos(y / 9);
      d[o + 2] = 110;
    }
  }
  for (let y = 0; y < box[3]; y++) {
    for (let x = 0; x < box[2]; x++) {
      const o = ((y + box[1]) * W + x + box[0]) * 3;
      const c = 0.5 + 0.25 * (Math.sin(x / 6) + Math.cos(y / 7));
      d.set([250 * c, 220 * (1 - c), 40 + 160 * c], o);
    }
  }
  return { index, path: `frame${index}`, width: W, height: H, data: d };
}

const truth: ImageBox[] = Array.from({ length: 16 }, (_, i) => imageBox([60 + 6 * i, 50 + 3 * i, 40, 40]));

test('the tracker follows a textured square: crops, displacement and box conversion agree', async () => {
  const tracker = new SiamfcTracker(new SsdEngine(), SIAMFC_3S);
  await tracker.init(squareFrame(0, truth[0]), truth[0]);
  for (let i = 1; i < truth.length; i++) {
    const { box } = await tracker.update(squareFrame(i, truth[i]));
    const ex = box[0] + box[2] / 2 - (truth[i][0] + 20);
    const ey = box[1] + box[3] / 2 - (truth[i][1] + 20);
    assert.ok(Math.hypot(ex, ey) <= 3, `frame ${i}: centre off by (${ex.toFixed(2)}, ${ey.toFixed(2)})`);
    assert.ok(Math.abs(box[2] - 40) <= 4 && Math.abs(box[3] - 40) <= 4, `frame ${i}: size ${box[2]} x ${box[3]}`);
  }
  assert.equal(tracker.times.frames, truth.length - 1);
});

test('crops of a known box sample the hand-computed window, padded with the mean colour', async () => {
  // R = x, G = y, B = 50 on a 240 x 240 frame: bilinear samples of a ramp are exact.
  const S = 240;
  const d = new Uint8Array(S * S * 3);
  for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) d.set([x, y, 50], (y * S + x) * 3);
  const frame: Frame = { index: 0, path: 'ramp', width: S, height: S, data: d };
  const engine = new SsdEngine();
  const tracker = new SiamfcTracker(engine, SIAMFC_3S);
  // Box [100, 80, 40, 40]: centre (120, 100), p = 40, s_z = 80, s_x = 80 * 255/127.
  await tracker.init(frame, imageBox([100, 80, 40, 40]));
  const z = engine.exemplarCrops[0];
  const step = 80 / 127;
  for (const [v, u] of [
    [0, 0],
    [63, 63],
    [100, 20],
    [126, 126],
  ]) {
    const o = (v * 127 + u) * 3;
    assert.ok(Math.abs(z[o] - (79.5 + step / 2 + u * step)) < 1e-3, `R at ${u}`);
    assert.ok(Math.abs(z[o + 1] - (59.5 + step / 2 + v * step)) < 1e-3, `G at ${v}`);
  }
  assert.ok(Math.abs(z[(63 * 127 + 63) * 3] - 119.5) < 1e-3, 'the middle pixel samples the target centre');
  await tracker.update(frame);
  // The centre-scale search crop (second of three): side s_x, 255 px.
  const sx = (80 * 255) / 127;
  const x0 = 120 - sx / 2 + sx / 255 / 2 - 0.5;
  const crop = engine.searchCrops[0].subarray(255 * 255 * 3, 2 * 255 * 255 * 3);
  for (const u of [0, 127, 254]) assert.ok(Math.abs(crop[(127 * 255 + u) * 3] - (x0 + (u * sx) / 255)) < 1e-3, `search R at ${u}`);

  // A box at the corner: its exemplar crop leaves the frame, and those pixels are the mean colour.
  const corner = new SsdEngine();
  await new SiamfcTracker(corner, SIAMFC_3S).init(frame, imageBox([2, 2, 20, 20]));
  assert.deepEqual(Array.from(corner.exemplarCrops[0].subarray(0, 3)), [119.5, 119.5, 50]);
});

test('the TensorFlow.js engine (batch norm folded) gives the network responses', async () => {
  const model = await loadModel(`${modelsRoot()}/siamfc`);
  const engine = new TfjsEngine(model);
  assert.equal(engine.responseSize, 17);
  const z = tf.randomUniform([1, 127, 127, 3], 0, 255, 'float32', 1) as tf.Tensor4D;
  const x = tf.randomUniform([3, 255, 255, 3], 0, 255, 'float32', 2) as tf.Tensor4D;
  const feats = await engine.embedExemplar(z.dataSync() as Float32Array, 1);
  assert.deepEqual(feats.shape, [1, 6, 6, model.architecture.channels[4]]);
  const got = await engine.respond(feats, x.dataSync() as Float32Array, 3);
  const want = tf
    .tidy(() =>
      xcorr(embed(model.params, model.config, z, false), embed(model.params, model.config, x, false), model.config.headScale, model.params),
    )
    .dataSync();
  assert.equal(got.length, 3 * 17 * 17);
  const scale = Math.max(...Array.from(want, Math.abs));
  for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= 1e-4 * scale + 1e-6, `cell ${i}: ${got[i]} vs ${want[i]}`);
  engine.dispose();
  model.dispose();
  tf.dispose([z, x]);
});

test('registered siamfc on real frames: deterministic, finite, within the scale clamp, honest record', async () => {
  const factory = getTrackerFactory('siamfc');
  const run = async () => {
    const tracker = await factory.create({ backend: 'wasm', seed: 1 });
    await tracker.init(squareFrame(0, truth[0]), truth[0]);
    const boxes: ImageBox[] = [];
    for (let i = 1; i < 6; i++) boxes.push((await tracker.update(squareFrame(i, truth[i]))).box);
    return { boxes, record: tracker.describe!() };
  };
  const a = await run();
  const b = await run();
  assert.deepEqual(a.boxes, b.boxes);
  for (const box of a.boxes) {
    assert.ok(box.every(Number.isFinite));
    assert.ok(box[2] >= 0.2 * 40 - 1e-9 && box[2] <= 5 * 40 + 1e-9);
  }
  const json = JSON.parse(await readFile(`${modelsRoot()}/siamfc/model.json`, 'utf8'));
  assert.equal(a.record.trained, json.trained);
  assert.equal(a.record.width, json.architecture.width);
  assert.equal(a.record.model, 'models/siamfc');
  assert.equal(a.record.engine, 'tfjs/wasm');
});

test('tracking leaks no tensors: the engine frees everything it makes per frame', async () => {
  const tracker = await getTrackerFactory('siamfc').create({ backend: 'wasm' });
  await tracker.init(squareFrame(0, truth[0]), truth[0]);
  await tracker.update(squareFrame(1, truth[1]));
  const before = tf.memory().numTensors;
  for (let i = 2; i < 5; i++) await tracker.update(squareFrame(i, truth[i]));
  await (await getTrackerFactory('siamfc').create({ backend: 'wasm' })).init(squareFrame(0, truth[0]), truth[0]);
  assert.equal(tf.memory().numTensors, before);
});
