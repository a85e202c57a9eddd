import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOtb } from '../src/benchmarks/otb/dataset/index.ts';
import { decodeRgb } from '../src/images/decode.ts';
import { ensureSynthetic } from '../src/synthetic/index.ts';
import { renderFrame } from '../src/synthetic/render.ts';
import { buildScene, type Scene } from '../src/synthetic/scene.ts';
import { poseBox } from '../src/synthetic/shape.ts';

/**
 * The pixels agree with the ground truth: rendering a frame with and without its target changes
 * exactly the pixels of the target's box, and the JPEG on disk holds the frame with the target.
 */
const tmp = await mkdtemp(join(tmpdir(), 'siambench-synth-render-'));
test.after(() => rm(tmp, { recursive: true, force: true }));
const W = 320;
const H = 240;
const FRAMES = 30;
const manifest = await ensureSynthetic(tmp, { seed: 11, testSequences: 8, testFrames: FRAMES });
const records = manifest.splits.test!.sequences;
const otb = await loadOtb('synthetic', join(tmp, 'otb'));
const scenes = records.map((r) => buildScene(r.seed, r.attributes, FRAMES, W, H));

/** Bounding box (x0, y0, x1, y1 exclusive) of the pixels where two frames differ, and their count. */
function changed(a: Uint8Array, b: Uint8Array): { box: number[]; count: number } {
  const box = [W, H, 0, 0];
  let count = 0;
  for (let p = 0; p < W * H; p++) {
    if (a[3 * p] === b[3 * p] && a[3 * p + 1] === b[3 * p + 1] && a[3 * p + 2] === b[3 * p + 2]) continue;
    const x = p % W;
    const y = Math.floor(p / W);
    box[0] = Math.min(box[0], x);
    box[1] = Math.min(box[1], y);
    box[2] = Math.max(box[2], x + 1);
    box[3] = Math.max(box[3], y + 1);
    count++;
  }
  return { box, count };
}

test('without occlusion or blur, the target changes exactly the pixels of its OTB box (within 1 px, 2 when rotated)', () => {
  let checked = 0;
  scenes.forEach((scene, i) => {
    for (let t = 0; t < FRAMES; t += 3) {
      const withT = renderFrame(scene, t);
      if (scene.shutter[t] > 0 || withT.visible < withT.inImage) continue;
      const { box } = changed(withT.rgb, renderFrame(scene, t, { hide: scene.target }).rgb);
      const [x, y, w, h] = otb.targets[i].groundTruth[t];
      const gt = [x - 1, y - 1, x - 1 + w, y - 1 + h];
      // A rotated rectangle's extreme corner may cover no pixel centre in the box's outer row.
      const slack = scene.objects[scene.target].poses[t].angle === 0 ? 1 : 2;
      box.forEach((v, k) =>
        assert.ok(Math.abs(v - gt[k]) <= slack, `${records[i].name} frame ${t + 1}: changed ${box}, ground truth ${gt}`),
      );
      checked++;
    }
  });
  assert.ok(checked >= 60, `${checked} frames checked`);
});

test('occluded frames: the target changes fewer pixels than it covers, all inside its box', () => {
  let checked = 0;
  scenes.forEach((scene, i) => {
    for (let t = 0; t < FRAMES; t++) {
      const withT = renderFrame(scene, t);
      if (scene.shutter[t] > 0 || withT.visible >= withT.inImage) continue;
      const { box, count } = changed(withT.rgb, renderFrame(scene, t, { hide: scene.target }).rgb);
      assert.ok(count <= withT.visible, `${records[i].name} frame ${t + 1}`);
      assert.ok(withT.visible < withT.total);
      const [x, y, w, h] = otb.targets[i].groundTruth[t];
      if (count > 0)
        assert.ok(box[0] >= x - 2 && box[1] >= y - 2 && box[2] <= x + w && box[3] <= y + h, `${records[i].name} frame ${t + 1}`);
      checked++;
    }
  });
  assert.ok(checked >= 5, `${checked} occluded frames checked`);
});

function behindTarget(scene: Scene, t: number): boolean {
  const [x, y, w, h] = poseBox(scene.objects[scene.target].poses[t]);
  return scene.objects.some((o, k) => {
    if (k === scene.target || !o.present[t]) return false;
    const [ox, oy, ow, oh] = poseBox(o.poses[t]);
    return ox < x + w && x < ox + ow && oy < y + h && y < oy + oh;
  });
}

test('the JPEG on disk is the rendered frame: the target is there, at its box', async () => {
  let checked = 0;
  for (const [i, scene] of scenes.entries()) {
    for (let t = 0; t < FRAMES; t += 3) {
      const file = await decodeRgb(otb.targets[i].images![t]);
      const withT = renderFrame(scene, t).rgb;
      const without = renderFrame(scene, t, { hide: scene.target }).rgb;
      const [x, y, w, h] = otb.targets[i].groundTruth[t];
      // JPEG's 8x8 blocks and halved chroma leave too little of a target under 100 px to compare,
      // and a look-alike passing behind the target would make the frame without it look the same.
      if (w * h < 100 || behindTarget(scene, t)) continue;
      checked++;
      let errIn = 0;
      let errOut = 0;
      let errWithout = 0;
      let nIn = 0;
      for (let py = 0; py < H; py++) {
        for (let px = 0; px < W; px++) {
          const o = (py * W + px) * 3;
          const inside = px >= x - 1 && px < x - 1 + w && py >= y - 1 && py < y - 1 + h;
          for (let c = 0; c < 3; c++) {
            const d = (file.data[o + c] - withT[o + c]) ** 2;
            if (inside) {
              errIn += d;
              errWithout += (file.data[o + c] - without[o + c]) ** 2;
            } else errOut += d;
          }
          if (inside) nIn++;
        }
      }
      const name = `${records[i].name} frame ${t + 1}`;
      const rms = (sse: number, n: number) => Math.sqrt(sse / (3 * n));
      // JPEG at quality 90 stays within a few levels per channel of what was rendered (more on
      // the target's fine, high-contrast texture, where 4:2:0 chroma subsampling costs most)...
      assert.ok(rms(errOut, W * H - nIn) < 12, `${name}: rms ${rms(errOut, W * H - nIn)}`);
      // ...and inside the box it is far closer to the frame with the target than to the one without.
      assert.ok(rms(errWithout, nIn) > 2 * rms(errIn, nIn), `${name}: rms ${rms(errWithout, nIn)} without vs ${rms(errIn, nIn)} with`);
    }
  }
  assert.ok(checked >= 12, `${checked} frames checked`);
});

test('motion blur: a blurred frame has less detail in the target box than the same instant rendered sharp', () => {
  const ratios: number[] = [];
  const energy = (rgb: Uint8Array, [x, y, w, h]: number[]) => {
    let e = 0;
    for (let py = Math.max(1, y - 1); py < Math.min(H, y - 1 + h); py++) {
      for (let px = Math.max(1, x - 1); px < Math.min(W, x - 1 + w); px++) {
        const o = (py * W + px) * 3;
        for (let c = 0; c < 3; c++) e += Math.abs(rgb[o + c] - rgb[o + c - 3]) + Math.abs(rgb[o + c] - rgb[o + c - 3 * W]);
      }
    }
    return e;
  };
  scenes.forEach((scene, i) => {
    for (let t = 0; t < FRAMES; t++) {
      if (scene.shutter[t] === 0) continue;
      const gt = otb.targets[i].groundTruth[t];
      const blurred = energy(renderFrame(scene, t).rgb, gt);
      const sharp = energy(renderFrame(scene, t, { sharp: true }).rgb, gt);
      // The box also holds background, which stays sharp unless the camera shakes.
      assert.ok(blurred < 0.95 * sharp, `${records[i].name} frame ${t + 1}: ${blurred} vs ${sharp}`);
      ratios.push(blurred / sharp);
    }
  });
  assert.ok(ratios.length >= 2, `${ratios.length} blurred frames checked`);
  assert.ok(ratios.reduce((a, b) => a + b, 0) / ratios.length < 0.8, `${ratios}`);
});
