import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imageBox } from '../src/core/types.ts';
import {
  boxOfTarget,
  contextSizes,
  cropWindow,
  displacementSide,
  hann,
  hannWindow2d,
  peakDisplacement,
  scaleFactors,
  targetOfBox,
  updateScale,
} from '../src/trackers/siamfc/geometry.ts';
import { cubicTaps, cubicWeights, locatePeak, mirrorIndex, upsample } from '../src/trackers/siamfc/response.ts';
import {
  cropSquare,
  keysCubic,
  pyramidSides,
  resamplePatch,
  resampleTaps,
  searchCrops,
  wholeWindow,
} from '../src/trackers/siamfc/crops.ts';
import { samplePatch } from '../src/images/sample.ts';
import { SIAMFC_3S, SIAMFC_5S } from '../src/trackers/siamfc/settings.ts';

const close = (a: number, b: number, tol = 1e-9, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b}`);

test('box <-> centre and size in continuous image coordinates', () => {
  assert.deepEqual(targetOfBox(imageBox([10, 20, 30, 40])), { cx: 25, cy: 40, w: 30, h: 40 });
  assert.deepEqual(boxOfTarget({ cx: 25, cy: 40, w: 30, h: 40 }), [10, 20, 30, 40]);
});

test('context: p = (w + h)/2, s_z = sqrt((w + p)(h + p)), s_x = s_z * 255/127', () => {
  // w 30, h 40: p = 35, s_z = sqrt(65 * 75) = sqrt(4875)
  const { zSize, xSize } = contextSizes(30, 40, SIAMFC_3S);
  close(zSize, Math.sqrt(4875));
  close(xSize, (Math.sqrt(4875) * 255) / 127);
  // A 40 x 40 target: p = 40, s_z = 80 exactly.
  close(contextSizes(40, 40, SIAMFC_3S).zSize, 80);
});

test('crop window of a known box: output pixel centres land on the half-pixel grid of the square', () => {
  // Target [100, 80, 40, 40]: centre (120, 100), exemplar side 80 -> 127 px, step 80/127.
  const w = cropWindow(120, 100, 80, 127);
  close(w.step, 80 / 127);
  // Output pixel 0 covers continuous [80, 80 + step): centre 80 + step/2, index coordinate - 0.5.
  close(w.x0, 80 + 40 / 127 - 0.5);
  close(w.y0, 60 + 40 / 127 - 0.5);
  // The middle output pixel (63) samples the target centre: index 119.5 = continuous 120.
  close(w.x0 + 63 * w.step, 119.5, 1e-9);
  // Side equal to the output: step 1, pixel u reads index cx - 63.5 + u exactly.
  assert.deepEqual(cropWindow(63.5, 63.5, 127, 127), { x0: 0, y0: 0, step: 1 });
});

test('scale factors: 1.0375^{-1,0,1} and 1.0255^{-2..2}', () => {
  const f3 = scaleFactors(SIAMFC_3S.numScales, SIAMFC_3S.scaleStep);
  assert.equal(f3.length, 3);
  close(f3[0], 1 / 1.0375);
  assert.equal(f3[1], 1);
  close(f3[2], 1.0375);
  const f5 = scaleFactors(SIAMFC_5S.numScales, SIAMFC_5S.scaleStep);
  close(f5[0], 1.0255 ** -2);
  close(f5[4], 1.0255 ** 2);
});

test('displacement of a known peak: (peak - 271/2) * 8/16 * s_x * scale / 255', () => {
  // s_x = 510 and scale 1: one upsampled cell is 0.5 * 2 = 1 image pixel.
  const d = peakDisplacement(150, 100, 272, 510, 1, SIAMFC_3S);
  close(d.dx, 100 - 135.5);
  close(d.dy, 150 - 135.5);
  const e = peakDisplacement(0, 271, 272, 255, 1.0375, SIAMFC_3S);
  close(e.dx, 135.5 * 0.5 * 1.0375);
  close(e.dy, -135.5 * 0.5 * 1.0375);
  const centre = peakDisplacement(135.5, 135.5, 272, 300, 1, SIAMFC_3S);
  assert.deepEqual([centre.dx, centre.dy], [0, 0]);
});

test('scale update: (1 - 0.59) + 0.59 * factor, search side clamped to [0.2, 5] x initial', () => {
  const t = { cx: 50, cy: 60, w: 40, h: 20 };
  const up = updateScale(t, 200, 1.0375, 200, SIAMFC_3S);
  const k = 0.41 + 0.59 * 1.0375; // 1.022125
  close(up.xSize, 200 * k);
  close(up.target.w, 40 * k);
  close(up.target.h, 20 * k);
  assert.equal(up.target.cx, 50);
  // Already at 4.99 x initial: growing stops at 5 x; the box follows the clamped search side.
  const capped = updateScale(t, 499, 1.0375, 100, SIAMFC_3S);
  close(capped.xSize, 500);
  close(capped.target.w, (40 * 500) / 499);
  const floor = updateScale(t, 20.1, 1 / 1.0375, 100, SIAMFC_3S);
  close(floor.xSize, 20);
});

test('Hann window: symmetric (numpy.hanning), outer product normalised to sum 1', () => {
  assert.deepEqual(
    Array.from(hann(5)).map((v) => Number(v.toFixed(12))),
    [0, 0.5, 1, 0.5, 0],
  );
  const w2 = hannWindow2d(5);
  // 1-D sum 2, so the 2-D window is the outer product / 4.
  close(w2[12], 0.25, 1e-7);
  close(w2[6], 0.0625, 1e-7);
  assert.equal(w2[0], 0);
  const w = hann(272);
  close(w[1], 0.5 - 0.5 * Math.cos((2 * Math.PI) / 271));
  for (let k = 0; k < 136; k++) close(w[k], w[271 - k], 1e-12, `w[${k}]`);
  // The periodic window (tf.signal.hannWindow) divides by 272, not 271: about 0.003 apart at k = 68.
  assert.ok(Math.abs(w[68] - (0.5 - 0.5 * Math.cos((2 * Math.PI * 68) / 272))) > 2e-3);
  const big = hannWindow2d(272);
  close(
    big.reduce((a, b) => a + b, 0),
    1,
    1e-4,
  );
  close(big[135 * 272 + 135], big[136 * 272 + 136], 1e-12);
});

test('bicubic weights and taps follow cv2 INTER_CUBIC (A = -0.75, half-pixel centres, replicated border)', () => {
  assert.deepEqual(cubicWeights(0), [0, 1, 0, 0]);
  const half = cubicWeights(0.5);
  close(half[0], -0.09375);
  close(half[1], 0.59375);
  close(half[2], 0.59375);
  close(half[3], -0.09375);
  const taps = cubicTaps(17, 272);
  // d = 0 reads source -0.46875: floor -1, taps -2..1 clamp to 0, 0, 0, 1.
  assert.deepEqual(Array.from(taps.index.slice(0, 4)), [0, 0, 0, 1]);
  const w0 = cubicWeights(0.53125);
  close(taps.weight[0], w0[0]);
  // A column ramp 0..16. Column 24 reads source 24.5/16 - 0.5 = 1 + 1/32, taps 0..3 with, by hand,
  // w = (-0.0219955, 0.9978409, 0.0248642, -0.0007096): 1.0454405 (A = -0.75 does not reproduce lines).
  const ramp = new Float32Array(17 * 17);
  for (let i = 0; i < 17; i++) for (let j = 0; j < 17; j++) ramp[i * 17 + j] = j;
  const out = new Float32Array(272 * 272);
  upsample(ramp, 0, taps, out);
  close(out[50 * 272 + 24], 1.0454405, 1e-6);
  // Half-pixel centring: column d and 271 - d mirror each other around the ramp's middle (8).
  for (const d of [0, 3, 24, 100, 135]) close(out[50 * 272 + d] + out[50 * 272 + 271 - d], 16, 1e-5, `col ${d}`);
  // Rows of a column-ramp are constant.
  close(out[3 * 272 + 100], out[260 * 272 + 100], 1e-5);
  // Constant stays constant everywhere, border included.
  const flat = new Float32Array(17 * 17).fill(2.5);
  upsample(flat, 0, taps, out);
  assert.ok(out.every((v) => Math.abs(v - 2.5) < 1e-5));
});

function mapsWithPeaks(peaks: { scale: number; row: number; col: number; value: number }[]): Float32Array {
  const r = new Float32Array(3 * 17 * 17);
  for (const p of peaks) r[p.scale * 289 + p.row * 17 + p.col] = p.value;
  return r;
}

test('peak location: penalised scale choice, then the upsampled peak nudged to the centre by the window', () => {
  const taps = cubicTaps(17, 272);
  const win = hannWindow2d(272);
  // Scale 0 peaks at 1.0 (penalised 0.9745); the centre scale at 0.98 wins.
  let p = locatePeak(
    mapsWithPeaks([
      { scale: 0, row: 4, col: 12, value: 1 },
      { scale: 1, row: 4, col: 12, value: 0.98 },
    ]),
    3,
    taps,
    win,
    SIAMFC_3S,
  );
  assert.equal(p.scale, 1);
  // At 0.97 the centre scale loses to the penalised 0.9745.
  p = locatePeak(
    mapsWithPeaks([
      { scale: 0, row: 4, col: 12, value: 1 },
      { scale: 1, row: 4, col: 12, value: 0.97 },
    ]),
    3,
    taps,
    win,
    SIAMFC_3S,
  );
  assert.equal(p.scale, 0);
  // A spike at cell (4, 12) upsamples to equal maxima at 16c + 7 and 16c + 8 (source c -/+ 1/32);
  // the Hann window breaks the tie towards the map centre (135.5): row 72, column 199.
  assert.deepEqual([p.row, p.col], [72, 199]);
  const d = peakDisplacement(p.row, p.col, 272, 255, 1, SIAMFC_3S);
  close(d.dx, (199 - 135.5) * 0.5);
  close(d.dy, (72 - 135.5) * 0.5);
  // A flat response: the unpenalised centre scale, and the window alone puts the peak at the centre
  // (135 and 136 tie; the first wins, as numpy's argmax).
  const flat = locatePeak(new Float32Array(3 * 289).fill(1), 3, taps, win, SIAMFC_3S);
  assert.deepEqual([flat.scale, flat.row, flat.col], [1, 135, 135]);
});

// ---- The MATLAB details (docs/siamfc-tracker.md): settings displacement, pyramid, cropInterpolation, responseInterpolation.

test('displacement side: chosen scale (ports), unscaled (MATLAB tracker_eval.m), damped (siamfc-tf)', () => {
  // x_sz 300, chosen factor 1.0375; the damped update gives 300 * (0.41 + 0.59 * 1.0375) = 306.6375.
  const next = updateScale({ cx: 0, cy: 0, w: 10, h: 10 }, 300, 1.0375, 300, SIAMFC_3S).xSize;
  close(next, 306.6375, 1e-9);
  close(displacementSide(300, 1.0375, next, 'scaled'), 311.25, 1e-9);
  close(displacementSide(300, 1.0375, next, 'unscaled'), 300);
  close(displacementSide(300, 1.0375, next, 'damped'), 306.6375, 1e-9);
  // Peak at column 271 of 272: 135.5 cells x 0.5 crop px x side / 255 frame px.
  close(peakDisplacement(135.5, 271, 272, 300, 1, SIAMFC_3S).dx, 79.70588235294117, 1e-9); // 67.75 * 300/255
  close(peakDisplacement(135.5, 271, 272, 311.25, 1, SIAMFC_3S).dx, 82.69485294117646, 1e-9); // 67.75 * 311.25/255
});

test('MATLAB response upsampling: Keys a = -0.5, mirrored border', () => {
  // Keys(0.5) = 1.5/8 - 2.5/4 + 1 = 0.5625, Keys(1.5) = -0.5 * 3.375 + 2.5 * 2.25 - 6 + 2 = -0.0625.
  const half = cubicWeights(0.5, -0.5);
  close(half[0], -0.0625);
  close(half[1], 0.5625);
  close(half[2], 0.5625);
  close(half[3], -0.0625);
  close(keysCubic(0.5), 0.5625);
  close(keysCubic(1.5), -0.0625);
  for (const t of [0.1, 0.3, 0.77]) {
    const w = cubicWeights(t, -0.5);
    [1 + t, t, 1 - t, 2 - t].forEach((x, k) => close(w[k], keysCubic(x), 1e-12, `t ${t} tap ${k}`));
  }
  // Symmetric extension: -1 -> 0, -2 -> 1, n -> n - 1, n + 1 -> n - 2.
  assert.deepEqual(
    [-1, -2, 5, 6, 3].map((i) => mirrorIndex(i, 5)),
    [0, 1, 4, 3, 3],
  );
  // Output 0 reads source -0.46875: taps -2..1 are 1, 0, 0, 1 mirrored (0, 0, 0, 1 replicated).
  assert.deepEqual(Array.from(cubicTaps(17, 272, 'matlab').index.slice(0, 4)), [1, 0, 0, 1]);
  // a = -0.5 reproduces a line: the ramp's column 24 (source 1 + 1/32) is 1.03125 exactly, inside.
  const ramp = new Float32Array(17 * 17);
  for (let i = 0; i < 17; i++) for (let j = 0; j < 17; j++) ramp[i * 17 + j] = j;
  const out = new Float32Array(272 * 272);
  upsample(ramp, 0, cubicTaps(17, 272, 'matlab'), out);
  close(out[50 * 272 + 24], 1.03125, 1e-6);
});

test('resampling taps: imresize contributions (antialiased shrink, normalised, fill or mirror outside)', () => {
  // A 2x shrink with the triangle kernel: stretched to width 4, weights 1, 3, 3, 1 over 8.
  const t = resampleTaps(4.5, 2, 1, 20, 'linear', true, 'fill');
  assert.equal(t.count, 6);
  assert.deepEqual(Array.from(t.index), [2, 3, 4, 5, 6, 7]);
  assert.deepEqual(Array.from(t.weight), [0, 0.125, 0.375, 0.375, 0.125, 0]);
  // Cubic at whole positions with step 1: the identity.
  const id = resampleTaps(3, 1, 2, 10, 'cubic', true, 'fill');
  for (let u = 0; u < 2; u++) {
    for (let k = 0; k < id.count; k++) {
      const w = id.weight[u * id.count + k];
      assert.equal(w === 0 ? 0 : id.index[u * id.count + k], w === 0 ? 0 : 3 + u);
      assert.ok(w === 0 || w === 1);
    }
  }
  // Half a pixel left of the image: taps -1 and 0 at 0.5 each; -1 is the fill colour, or mirrors to 0.
  const f = resampleTaps(-0.5, 1, 1, 4, 'linear', false, 'fill');
  assert.deepEqual(Array.from(f.index), [-1, -1, 0, 1]); // index -2 has weight 0
  assert.deepEqual(Array.from(f.weight), [0, 0.5, 0.5, 0]);
  assert.deepEqual(Array.from(resampleTaps(-0.5, 1, 1, 4, 'linear', false, 'mirror').index), [1, 0, 0, 1]);
});

function rampFrame(width: number, height: number): { width: number; height: number; data: Uint8Array; index: number; path: string } {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.fill(x % 256, (y * width + x) * 3, (y * width + x) * 3 + 3);
  return { width, height, data, index: 0, path: 'ramp' };
}

test('bilinear taps without antialiasing sample as samplePatch does', () => {
  const img = rampFrame(256, 200);
  for (let y = 0; y < 200; y++) for (let x = 0; x < 256; x++) img.data[(y * 256 + x) * 3 + 1] = (x * 7 + y * 13) % 251;
  const win = cropWindow(100.3, 80.7, 150.2, 64);
  const a = new Float32Array(64 * 64 * 3);
  const b = new Float32Array(64 * 64 * 3);
  samplePatch(img, [1, 2, 3], a, 0, 64, win.x0, win.y0, win.step);
  resamplePatch(
    img,
    [1, 2, 3],
    b,
    0,
    resampleTaps(win.x0, win.step, 64, 256, 'linear', false, 'fill'),
    resampleTaps(win.y0, win.step, 64, 200, 'linear', false, 'fill'),
  );
  for (let i = 0; i < a.length; i++) close(a[i], b[i], 1e-3, `value ${i}`);
});

test('MATLAB pyramid sides and whole-pixel windows, by hand', () => {
  // x_sz 300: sides 289.16, 300, 311.25 round to 289, 300, 311; beta = 255/289; region round(255 * 311/289)
  // = round(274.41) = 274; cut round(255 * side/289): 255, round(264.71) = 265, 274.
  const f = scaleFactors(3, 1.0375);
  assert.deepEqual(
    pyramidSides(
      f.map((k) => 300 * k),
      255,
    ),
    { rounded: [289, 300, 311], region: 274, cut: [255, 265, 274] },
  );
  // 80 pixels centred on continuous 120 (index 119.5): pixels 80..159.
  assert.equal(wholeWindow(120, 80), 80);
  // 81 pixels round their centre to a whole index: 120.3 -> index 119.8 -> 120, pixels 80..160.
  assert.equal(wholeWindow(120.3, 81), 80);
});

test('one-crop pyramid: each scale cut from the resized largest crop, centres by hand on a ramp', () => {
  // Frame value = column index. Target centre continuous 128.5 (index 128), x_sz 300 -> the largest
  // window is 311 pixels from round(128 - 155) = -27, resized to 274; scale 2 is all of it (274 -> 255),
  // scale 0 its 255 pixels from round(19/2) = 10 (step 1).
  const frame = rampFrame(256, 256);
  const out = new Float32Array(3 * 255 * 255 * 3);
  const f = scaleFactors(3, 1.0375);
  searchCrops(
    frame,
    [0, 0, 0],
    out,
    128.5,
    128.5,
    f.map((k) => 300 * k),
    255,
    { pyramid: 'one-crop', cropInterpolation: 'bilinear' },
  );
  const at = (k: number, v: number, u: number) => out[k * 255 * 255 * 3 + (v * 255 + u) * 3];
  // Scale 2, pixel 127: region coordinate 127.5 * 274/255 - 0.5 = 136.5 -> frame -27.5 + 137 * 311/274 = 128.
  close(at(2, 127, 127), 128, 1e-3);
  // Scale 0, pixel 127: region coordinate 137 -> frame -27.5 + 137.5 * 311/274 = 128.5675...
  close(at(0, 127, 127), -27.5 + (137.5 * 311) / 274, 1e-3);
  // Scale 1 (265 -> 255 from round(4.5) = 5): pixel 127 at region 5 + 127.5 * 265/255 - 0.5 = 137, the same.
  close(at(1, 127, 127), -27.5 + (137.5 * 311) / 274, 1e-3);
  // A uniform frame stays uniform in every crop, bicubic or not, the mean colour filling outside.
  const flat = { ...frame, data: new Uint8Array(256 * 256 * 3).fill(90) };
  for (const cropInterpolation of ['bilinear', 'bicubic'] as const) {
    for (const pyramid of ['separate', 'one-crop'] as const) {
      searchCrops(
        flat,
        [90, 90, 90],
        out,
        30.2,
        200.9,
        f.map((k) => 300 * k),
        255,
        { pyramid, cropInterpolation },
      );
      assert.ok(
        out.every((v) => Math.abs(v - 90) < 1e-3),
        `${pyramid} ${cropInterpolation}`,
      );
      const z = new Float32Array(127 * 127 * 3);
      cropSquare(flat, [90, 90, 90], z, 0, 30.2, 200.9, 150.4, 127, { pyramid, cropInterpolation });
      assert.ok(
        z.every((v) => Math.abs(v - 90) < 1e-3),
        `exemplar ${pyramid} ${cropInterpolation}`,
      );
    }
  }
});
