import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOtb } from '../src/benchmarks/otb/dataset/index.ts';
import { loadVot } from '../src/benchmarks/vot/dataset/index.ts';
import { decodeRgb } from '../src/images/decode.ts';
import { ATTRIBUTES, ensureSynthetic, PRESETS, splitAttributes, splitSeed, splitSettings, type Attribute } from '../src/synthetic/index.ts';
import { buildScene } from '../src/synthetic/scene.ts';

/**
 * Each attribute checked on the files a user gets (OTB boxes, VOT polygons and tags, decoded
 * frames), both ways: claimed -> visible in the data, not claimed -> absent.
 */
const tmp = await mkdtemp(join(tmpdir(), 'siambench-synth-attr-'));
test.after(() => rm(tmp, { recursive: true, force: true }));
const W = 320;
const H = 240;
const FRAMES = 40;
// 11 sequences: two attributes each, every attribute on at least two sequences.
const manifest = await ensureSynthetic(tmp, { seed: 3, testSequences: 11, testFrames: FRAMES });
const records = manifest.splits.test!.sequences;
const otb = await loadOtb('synthetic', join(tmp, 'otb'));
const vot = await loadVot('synthetic', join(tmp, 'vot'));

type Poly = number[];
const area = (p: Poly) =>
  Math.abs(p[0] * p[3] - p[2] * p[1] + (p[2] * p[5] - p[4] * p[3]) + (p[4] * p[7] - p[6] * p[5]) + (p[6] * p[1] - p[0] * p[7])) / 2;
const side = (p: Poly, i: number) => Math.hypot(p[2 * i + 2] - p[2 * i], p[2 * i + 3] - p[2 * i + 1]);
/** Width over height of the rectangle: first edge (top) over second (right). */
const aspect = (p: Poly) => side(p, 0) / side(p, 1);
const ratio = (xs: number[]) => Math.max(...xs) / Math.min(...xs);

function each(fn: (has: (a: Attribute) => boolean, i: number, name: string) => void | Promise<void>) {
  return async () => {
    for (const [i, r] of records.entries()) await fn((a) => r.attributes.includes(a), i, r.name);
  };
}

test('every attribute labels at least two sequences, here and in both presets', () => {
  for (const a of ATTRIBUTES) assert.ok(records.filter((r) => r.attributes.includes(a)).length >= 2, a);
  for (const [name, preset] of Object.entries(PRESETS)) {
    const s = splitSettings('test', preset.options);
    const sets = splitAttributes('test', splitSeed(s.seed, 'test'), s.sequences);
    for (const a of ATTRIBUTES) assert.ok(sets.filter((set) => set.includes(a)).length >= 2, `${name}: ${a}`);
  }
});

test(
  'OCC: occluded frames (VOT tag, visibility < 1) exactly in the occlusion sequences',
  each((has, i, name) => {
    const occluded = vot.sequences[i].tags.occlusion.reduce((n, v) => n + v, 0);
    assert.equal(occluded > 0, has('OCC'), name);
    if (has('OCC')) assert.ok(records[i].minVisible < 1, name);
  }),
);

test(
  'OV: the target rectangle crosses the image border exactly in the out-of-view sequences',
  each((has, i, name) => {
    const out = vot.sequences[i].groundtruth.some((p) => p.some((v, k) => v < 0 || v > (k % 2 === 0 ? W : H)));
    assert.equal(out, has('OV'), name);
  }),
);

test(
  'SV: the target area changes by more than 2x with SV; a rigid, unturned target keeps its area',
  each((has, i, name) => {
    const r = ratio(vot.sequences[i].groundtruth.map(area));
    if (has('SV')) assert.ok(r > 2, `${name}: ${r}`);
    else if (!has('OPR')) assert.ok(r < 1.05, `${name}: ${r}`);
  }),
);

test(
  'IPR: the rectangle turns by more than a radian with IPR and stays axis-aligned without',
  each((has, i, name) => {
    const angles = vot.sequences[i].groundtruth.map((p) => Math.atan2(p[3] - p[1], p[2] - p[0]));
    const range = Math.max(...angles) - Math.min(...angles);
    if (has('IPR')) assert.ok(range > 1, `${name}: ${range}`);
    else
      assert.ok(
        angles.every((a) => Math.abs(a) < 1e-3),
        name,
      );
  }),
);

test(
  'DEF and OPR: the aspect ratio swings with deformation, the width collapses with a turn',
  each((has, i, name) => {
    const aspects = vot.sequences[i].groundtruth.map(aspect);
    if (has('DEF')) assert.ok(ratio(aspects) > 1.2, `${name}: ${ratio(aspects)}`);
    if (has('OPR')) assert.ok(Math.min(...aspects) / aspects[0] <= 0.6, name);
    if (!has('DEF') && !has('OPR')) assert.ok(ratio(aspects) < 1.01, `${name}: ${ratio(aspects)}`);
  }),
);

test(
  'LR: every OTB box under 400 px exactly in the low-resolution sequences',
  each((has, i, name) => {
    assert.equal(
      otb.targets[i].groundTruth.every(([, , w, h]) => w * h < 400),
      has('LR'),
      name,
    );
  }),
);

test(
  'FM: an OTB centre moves more than 20 px in one frame exactly in the fast-motion sequences',
  each((has, i, name) => {
    const gt = otb.targets[i].groundTruth;
    let step = 0;
    for (let t = 1; t < gt.length; t++) {
      step = Math.max(
        step,
        Math.hypot(gt[t][0] + gt[t][2] / 2 - gt[t - 1][0] - gt[t - 1][2] / 2, gt[t][1] + gt[t][3] / 2 - gt[t - 1][1] - gt[t - 1][3] / 2),
      );
    }
    assert.equal(step > 20, has('FM'), `${name}: ${step}`);
  }),
);

test(
  'IV: the decoded frames brighten or darken by 40% or more exactly in the illumination sequences',
  each(async (has, i, name) => {
    const means: number[] = [];
    for (const f of otb.targets[i].images!) {
      const img = await decodeRgb(f);
      let s = 0;
      for (let k = 0; k < img.data.length; k++) s += img.data[k];
      means.push(s / img.data.length);
    }
    const r = ratio(means);
    if (has('IV')) assert.ok(r >= 1.4, `${name}: ${r}`);
    else assert.ok(r < 1.2, `${name}: ${r}`);
  }),
);

test(
  'BC and MB: look-alikes pass within a target diagonal; blurred frames exactly where MB says',
  each((has, i, name) => {
    const r = records[i];
    const scene = buildScene(r.seed, r.attributes, FRAMES, W, H);
    const target = scene.objects[scene.target].poses;
    const distractors = scene.objects.filter((o) => o.role === 'distractor');
    assert.equal(distractors.length > 0, has('BC'), name);
    for (const d of distractors) {
      assert.ok(
        d.poses.some((p, t) => Math.hypot(p.cx - target[t].cx, p.cy - target[t].cy) < Math.hypot(target[t].w, target[t].h)),
        name,
      );
    }
    assert.equal(
      scene.shutter.some((s) => s > 0),
      has('MB'),
      name,
    );
    assert.equal(
      r.events.some((e) => e.kind === 'blur'),
      has('MB'),
      name,
    );
  }),
);
