/**
 * The per-frame stages around the network (crops and response post-processing) are written for
 * speed: tap tables, a fill-free inner loop, upsampled rows computed only where a bound says they
 * can matter. These tests hold them to the plain definitions, written out here pixel by pixel and
 * map by map, on synthetic and on real frames.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type ImageBox, toolkitBox, toolkitToImage } from '../src/core/types.ts';
import { decodeRgb, type RgbImage } from '../src/images/decode.ts';
import { meanColour, samplePatch } from '../src/images/sample.ts';
import type { FeatureMaps, SiamfcEngine } from '../src/trackers/siamfc/engine.ts';
import { modelsRoot } from '../src/trackers/siamfc/factory.ts';
import {
  boxOfTarget,
  contextSizes,
  cropWindow,
  hannWindow2d,
  peakDisplacement,
  scaleFactors,
  targetOfBox,
  updateScale,
} from '../src/trackers/siamfc/geometry.ts';
import { readModelWeights } from '../src/trackers/siamfc/model-weights.ts';
import { OrtEngine } from '../src/trackers/siamfc/ort-engine.ts';
import { type CubicTaps, type Peak, cubicTaps, locatePeak, upsample } from '../src/trackers/siamfc/response.ts';
import { SIAMFC_3S, SIAMFC_5S, type SiamfcSettings } from '../src/trackers/siamfc/settings.ts';
import { SiamfcTracker } from '../src/trackers/siamfc/siamfc-tracker.ts';
import { Upsampler } from '../src/trackers/siamfc/upsampler.ts';
import type { Frame } from '../src/trackers/base/tracker.ts';
import { SKIP_REALDATA, real } from './helpers/realdata.ts';

/** Bilinear sampling by its definition: four taps, each the pixel or, outside the frame, the fill. */
function plainCrop(img: RgbImage, fill: readonly number[], size: number, x0: number, y0: number, step: number): Float32Array {
  const out = new Float32Array(size * size * 3);
  const px = (x: number, y: number, k: number) =>
    x >= 0 && x < img.width && y >= 0 && y < img.height ? img.data[(y * img.width + x) * 3 + k] : fill[k];
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      const fx = x0 + u * step;
      const fy = y0 + v * step;
      const [ix, iy] = [Math.floor(fx), Math.floor(fy)];
      const [wx, wy] = [fx - ix, fy - iy];
      for (let k = 0; k < 3; k++) {
        out[(v * size + u) * 3 + k] =
          (1 - wx) * (1 - wy) * px(ix, iy, k) +
          wx * (1 - wy) * px(ix + 1, iy, k) +
          (1 - wx) * wy * px(ix, iy + 1, k) +
          wx * wy * px(ix + 1, iy + 1, k);
      }
    }
  }
  return out;
}

/** The post-processing of docs/trackers.md ("SiamFC tracking") over whole upsampled maps: every value of every scale. */
function plainPeak(responses: Float32Array, n: number, taps: CubicTaps, window: Float32Array, s: SiamfcSettings): Peak {
  const r = taps.inSize;
  const m = taps.outSize;
  const maps = Array.from({ length: n }, (_, k) => {
    const map = new Float32Array(m * m);
    upsample(responses, k * r * r, taps, map);
    return map;
  });
  const largest = (v: ArrayLike<number>) => {
    let at = 0;
    for (let i = 1; i < v.length; i++) if (v[i] > v[at]) at = i; // the first of equals, as numpy's argmax
    return at;
  };
  const penalised = maps.map((map, k) => map[largest(map)] * (k === (n - 1) / 2 ? 1 : s.scalePenalty));
  const scale = largest(penalised);
  const map = maps[scale];
  const min = map.reduce((a, v) => Math.min(a, v), Infinity);
  const norm = 1 / (map.reduce((a, v) => a + (v - min), 0) + 1e-16);
  const at = largest(Array.from(map, (v, i) => (1 - s.windowInfluence) * (v - min) * norm + s.windowInfluence * window[i]));
  return { scale, row: Math.floor(at / m), col: at % m, score: map[largest(map)] };
}

function random(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
}

function largestDifference(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  return a.reduce((worst, v, i) => Math.max(worst, Math.abs(v - b[i])), 0);
}

test('crops equal bilinear sampling by definition: inside, across every edge, wholly outside, up- and downsampling', () => {
  const next = random(3);
  const img: RgbImage = { width: 37, height: 23, data: Uint8Array.from({ length: 37 * 23 * 3 }, () => Math.floor(next() * 256)) };
  const fill = [101.25, 7.5, 250];
  const windows = [
    [5.3, 4.1, 0.7],
    [-6.2, -3.9, 0.9],
    [20.5, 10.25, 1.3],
    [-50, -50, 0.5],
    [30.9, 18.2, 2.6],
    [0, 0, 1],
    [-0.5, -0.5, 1.5],
    [36, 22, 0.25],
  ];
  for (const [x0, y0, step] of windows) {
    const size = 31;
    const got = new Float32Array(size * size * 3 + 6).fill(-1);
    samplePatch(img, fill, got, 3, size, x0, y0, step);
    assert.ok(
      largestDifference(got.subarray(3, 3 + size * size * 3), plainCrop(img, fill, size, x0, y0, step)) <= 1e-4,
      `window ${[x0, y0, step]}`,
    );
    assert.deepEqual([...got.subarray(0, 3), ...got.subarray(3 + size * size * 3)], [-1, -1, -1, -1, -1, -1], 'writes only its own pixels');
  }
  // Wholly outside: the fill colour exactly.
  const away = new Float32Array(2 * 2 * 3);
  samplePatch(img, fill, away, 0, 2, -100, 200, 1);
  assert.deepEqual(Array.from(away.subarray(0, 3)), fill.map(Math.fround));
});

test('peak location equals the whole-map computation: random, smooth, flat, negative and tied maps, 3 and 5 scales', () => {
  const taps = cubicTaps(17, 272);
  const window = hannWindow2d(272);
  const next = random(11);
  const cases: { name: string; n: number; map: Float32Array }[] = [];
  for (let c = 0; c < 6; c++)
    cases.push({ name: `uniform ${c}`, n: 3, map: Float32Array.from({ length: 3 * 289 }, () => next() * 10 - 5) });
  for (let c = 0; c < 6; c++) {
    const n = c % 2 ? 5 : 3;
    const [pr, pc] = [2 + next() * 13, 2 + next() * 13];
    cases.push({
      name: `bump ${c}`,
      n,
      map: Float32Array.from(
        { length: n * 289 },
        (_, i) =>
          (1 + 0.01 * Math.floor(i / 289)) * Math.exp(-(((i % 289) / 17 - pr) ** 2 / 1 + ((i % 17) - pc) ** 2) / 8) - 3 + 0.05 * next(),
      ),
    });
  }
  cases.push({ name: 'flat', n: 3, map: new Float32Array(3 * 289).fill(0.25) });
  cases.push({ name: 'negative', n: 3, map: Float32Array.from({ length: 3 * 289 }, (_, i) => -20 - Math.sin(i)) });
  const tied = new Float32Array(3 * 289);
  for (const k of [0, 1, 2]) tied[k * 289 + 4 * 17 + 12] = tied[k * 289 + 12 * 17 + 4] = 1; // same peak twice in every scale
  cases.push({ name: 'tied', n: 3, map: tied });
  const spike = new Float32Array(5 * 289).fill(-1);
  spike[4 * 289 + 0] = 3; // in a corner of the last scale
  cases.push({ name: 'corner spike', n: 5, map: spike });
  for (const c of cases) {
    const s = c.n === 3 ? SIAMFC_3S : SIAMFC_5S;
    assert.deepEqual(locatePeak(c.map, c.n, taps, window, s), plainPeak(c.map, c.n, taps, window, s), c.name);
  }
  // An exact tie between rows 100 and 200, where row 200 holds the largest response (masked by the
  // window) and so is searched first: the tie still goes to the first in the map.
  const one = new Float32Array(289);
  one[12 * 17 + 15] = 5;
  const masked = new Float32Array(272 * 272);
  for (let d = 185; d < 215; d++) masked.fill(-1000, d * 272 + 220, d * 272 + 272);
  masked[200 * 272 + 5] = masked[100 * 272 + 7] = 1;
  const tie = locatePeak(one, 1, taps, masked, SIAMFC_3S);
  assert.deepEqual([tie.row, tie.col], [100, 7]);
  assert.deepEqual(tie, plainPeak(one, 1, taps, masked, SIAMFC_3S));
});

test("the upsampler's row searches find the whole map's largest and smallest value, and its sum", () => {
  const taps = cubicTaps(17, 272);
  const next = random(5);
  const maps = [
    Float32Array.from({ length: 289 }, () => next() * 4 - 2),
    Float32Array.from({ length: 289 }, (_, i) => Math.exp(-((((i / 17) | 0) - 5) ** 2) / 4 - ((i % 17) - 11) ** 2 / 9) - 0.3 * next()),
    Float32Array.from({ length: 289 }, (_, i) => (i === 0 ? -7 : 1)),
  ];
  for (const [k, map] of maps.entries()) {
    const full = new Float32Array(272 * 272);
    upsample(map, 0, taps, full);
    const u = new Upsampler(taps);
    u.load(map, 0);
    assert.equal(
      u.extreme(1),
      full.reduce((a, v) => Math.max(a, v), -Infinity),
      `max of map ${k}`,
    );
    assert.equal(
      u.extreme(-1),
      full.reduce((a, v) => Math.min(a, v), Infinity),
      `min of map ${k}`,
    );
    const sum = full.reduce((a, v) => a + v, 0);
    assert.ok(Math.abs(u.total() - sum) <= 1e-9 * full.reduce((a, v) => a + Math.abs(v), 0), `sum of map ${k}: ${u.total()} vs ${sum}`);
  }
});

/** Records what the tracker asked of the network, passing the calls through. */
class Recording implements SiamfcEngine {
  readonly crops: Float32Array[] = [];
  readonly responses: Float32Array[] = [];
  constructor(private readonly inner: SiamfcEngine) {}
  get name() {
    return this.inner.name;
  }
  get exemplarSize() {
    return this.inner.exemplarSize;
  }
  get instanceSize() {
    return this.inner.instanceSize;
  }
  get responseSize() {
    return this.inner.responseSize;
  }
  embedExemplar(crops: Float32Array, n: number): Promise<FeatureMaps> {
    return this.inner.embedExemplar(crops, n);
  }
  async respond(exemplar: FeatureMaps, crops: Float32Array, n: number): Promise<Float32Array> {
    this.crops.push(crops.slice());
    const r = await this.inner.respond(exemplar, crops, n);
    this.responses.push(r.slice());
    return r;
  }
  dispose(): void {
    this.inner.dispose();
  }
}

test('on real 640x360 frames the tracker makes the crops and boxes of the plain definitions', { skip: SKIP_REALDATA }, async () => {
  const seq = real('frames', 'otb', 'MotorRolling');
  const g = (await readFile(join(seq, 'groundtruth_rect.txt'), 'utf8'))
    .split('\n')[0]
    .split(/[\s,]+/)
    .map(Number);
  const first: ImageBox = toolkitToImage(toolkitBox([g[0], g[1], g[2], g[3]]));
  const names = (await readdir(join(seq, 'img')))
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .slice(0, 16);
  const frames: Frame[] = [];
  for (const [i, f] of names.entries()) frames.push({ index: i, path: f, ...(await decodeRgb(join(seq, 'img', f))) });
  const engine = new Recording(await OrtEngine.create(await readModelWeights(join(modelsRoot(), 'siamfc')), { device: 'cpu', threads: 1 }));
  const tracker = new SiamfcTracker(engine, SIAMFC_3S);
  await tracker.init(frames[0], first);
  const boxes: ImageBox[] = [];
  for (const f of frames.slice(1)) boxes.push((await tracker.update(f)).box);
  engine.dispose();

  // The same tracking by definition, fed the responses the network gave.
  const s = SIAMFC_3S;
  const taps = cubicTaps(17, 272);
  const window = hannWindow2d(272);
  const factors = scaleFactors(s.numScales, s.scaleStep);
  const fill = meanColour(frames[0]);
  let target = targetOfBox(first);
  const x0 = contextSizes(target.w, target.h, s).xSize;
  let xSize = x0;
  let worstCrop = 0;
  let worstBox = 0;
  let moved = 0;
  for (let i = 1; i < frames.length; i++) {
    for (let k = 0; k < 3; k++) {
      const w = cropWindow(target.cx, target.cy, xSize * factors[k], 255);
      const got = engine.crops[i - 1].subarray(k * 255 * 255 * 3, (k + 1) * 255 * 255 * 3);
      worstCrop = Math.max(worstCrop, largestDifference(got, plainCrop(frames[i], fill, 255, w.x0, w.y0, w.step)));
    }
    const peak = plainPeak(engine.responses[i - 1], 3, taps, window, s);
    const { dx, dy } = peakDisplacement(peak.row, peak.col, 272, xSize, factors[peak.scale], s);
    const next = updateScale({ ...target, cx: target.cx + dx, cy: target.cy + dy }, xSize, factors[peak.scale], x0, s);
    moved = Math.max(moved, Math.hypot(next.target.cx - target.cx, next.target.cy - target.cy));
    target = next.target;
    xSize = next.xSize;
    const want = boxOfTarget(target);
    worstBox = Math.max(worstBox, ...want.map((v, j) => Math.abs(v - boxes[i - 1][j])));
  }
  process.stdout.write(
    `# ${frames.length - 1} frames of MotorRolling: crops within ${worstCrop.toExponential(2)}, boxes within ${worstBox.toExponential(2)} px of the plain definitions\n`,
  );
  assert.ok(moved > 1, 'the target moves, so the boxes say something');
  assert.ok(worstCrop <= 1e-4, `crops differ by ${worstCrop}`);
  assert.ok(worstBox <= 1e-3, `boxes differ by ${worstBox} px`);
});
