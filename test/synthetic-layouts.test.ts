import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGot10kSplit } from '../src/benchmarks/got10k/layout.ts';
import { loadOtb } from '../src/benchmarks/otb/dataset/index.ts';
import { loadVot } from '../src/benchmarks/vot/dataset/index.ts';
import { imageSize } from '../src/images/decode.ts';
import { ATTRIBUTES, ensureSynthetic, VOT_TAGS } from '../src/synthetic/index.ts';

const tmp = await mkdtemp(join(tmpdir(), 'siambench-synth-layout-'));
test.after(() => rm(tmp, { recursive: true, force: true }));
const W = 320;
const H = 240;
const manifest = await ensureSynthetic(tmp, {
  splits: ['test', 'train'],
  testSequences: 4,
  testFrames: 30,
  trainSequences: 3,
  trainFrames: 31,
});
const testNames = manifest.splits.test!.sequences.map((s) => s.name);

test('manifest: both splits, their layouts, seeds and per-sequence attributes', async () => {
  const onDisk = JSON.parse(await readFile(join(tmp, 'synthetic.json'), 'utf8'));
  assert.deepEqual(onDisk, JSON.parse(JSON.stringify(manifest)));
  assert.deepEqual(Object.keys(manifest.splits), ['test', 'train']);
  assert.deepEqual(manifest.splits.test!.layouts, { otb: 'otb', vot: 'vot' });
  assert.deepEqual(manifest.splits.train!.layouts, { got10k: 'train' });
  assert.deepEqual(testNames, ['Synth001', 'Synth002', 'Synth003', 'Synth004']);
  assert.notEqual(manifest.splits.test!.splitSeed, manifest.splits.train!.splitSeed);
  assert.equal(manifest.splits.train!.frames, 3 * 31);
  for (const s of manifest.splits.test!.sequences) assert.ok(s.attributes.length >= 2 && s.attributes.every((a) => ATTRIBUTES.includes(a)));
});

test('OTB raw layout: loadOtb reads every sequence, one 1-based integer box per image, attrs.txt', async () => {
  const ds = await loadOtb('synthetic', join(tmp, 'otb'));
  assert.deepEqual(ds.warnings, []);
  assert.deepEqual(
    ds.targets.map((t) => t.name),
    testNames,
  );
  for (const [i, t] of ds.targets.entries()) {
    assert.equal(t.groundTruth.length, 30);
    assert.equal(t.images!.length, 30);
    assert.deepEqual(t.attributes, manifest.splits.test!.sequences[i].attributes);
    assert.match(await readFile(join(tmp, 'otb', t.name, 'attrs.txt'), 'utf8'), /^[A-Z]{2,3}(, [A-Z]{2,3})*\n$/);
    for (const [x, y, w, h] of t.groundTruth) {
      assert.ok([x, y, w, h].every(Number.isInteger) && w >= 1 && h >= 1, `${t.name}: ${[x, y, w, h]}`);
      assert.ok(x >= 1 && y >= 1 && x + w - 1 <= W && y + h - 1 <= H, `${t.name}: ${[x, y, w, h]} leaves the image`);
    }
    assert.equal((await readdir(join(tmp, 'otb', t.name, 'img'))).length, 30);
    assert.deepEqual(await imageSize(t.images![29]), { width: W, height: H });
  }
});

test("VOT layout: loadVot reads polygons, tags and the sequence file; the OTB box is the polygon's visible box", async () => {
  const vot = await loadVot('synthetic', join(tmp, 'vot'));
  const otb = await loadOtb('synthetic', join(tmp, 'otb'));
  assert.deepEqual(vot.warnings, []);
  assert.deepEqual(
    vot.sequences.map((s) => s.name),
    testNames,
  );
  for (const [i, s] of vot.sequences.entries()) {
    assert.equal(s.length, 30);
    assert.equal(s.hasImages, true);
    assert.equal(s.width, W);
    assert.equal(s.height, H);
    assert.ok(s.frames.every((f) => existsSync(f)));
    assert.deepEqual(s.metadata, { 'channels.color': 'color/%08d.jpg', format: 'default', fps: '30', name: s.name });
    for (const tag of VOT_TAGS) {
      assert.equal(s.tags[tag].length, 30);
      const lines = (await readFile(join(tmp, 'vot', s.name, `${tag}.tag`), 'utf8')).trimEnd().split('\n');
      assert.equal(lines.length, 30);
      assert.ok(lines.every((l) => l === '0' || l === '1'));
    }
    s.groundtruth.forEach((poly, t) => {
      assert.equal(poly.length, 8);
      const xs = [poly[0], poly[2], poly[4], poly[6]];
      const ys = [poly[1], poly[3], poly[5], poly[7]];
      const [x, y, w, h] = otb.targets[i].groundTruth[t];
      const box = [x - 1, y - 1, x - 1 + w, y - 1 + h];
      const at = `${s.name} frame ${t + 1}`;
      const near = (a: number, b: number) => Math.abs(a - b) <= 0.51;
      if (xs.every((v) => v >= 0 && v <= W) && ys.every((v) => v >= 0 && v <= H)) {
        // Inside the image the OTB box is the polygon's box, snapped to whole pixels.
        assert.ok(
          near(box[0], Math.min(...xs)) && near(box[2], Math.max(...xs)) && near(box[1], Math.min(...ys)) && near(box[3], Math.max(...ys)),
          at,
        );
      } else {
        // Leaving it, the OTB box is the visible part: within the clamped polygon box, around the corners still inside.
        assert.ok(box[0] >= Math.max(0, Math.min(...xs)) - 0.51 && box[2] <= Math.min(W, Math.max(...xs)) + 0.51, at);
        assert.ok(box[1] >= Math.max(0, Math.min(...ys)) - 0.51 && box[3] <= Math.min(H, Math.max(...ys)) + 0.51, at);
        xs.forEach((vx, k) => {
          if (vx < 0 || vx > W || ys[k] < 0 || ys[k] > H) return;
          assert.ok(
            vx >= box[0] - 0.51 && vx <= box[2] + 0.51 && ys[k] >= box[1] - 0.51 && ys[k] <= box[3] + 0.51,
            `${at}: corner ${k + 1}`,
          );
        });
      }
    });
  }
});

test('GOT-10k layout: readGot10kSplit reads the train split; boxes in the image, labels consistent', async () => {
  const seqs = await readGot10kSplit(join(tmp, 'train'));
  assert.deepEqual(
    seqs.map((s) => s.name),
    ['SynthTrain0001', 'SynthTrain0002', 'SynthTrain0003'],
  );
  for (const s of seqs) {
    assert.equal(s.frames.length, 31);
    assert.equal(s.boxes.length, 31);
    assert.equal(s.cover.length, 31);
    assert.ok(s.frames.every((f) => existsSync(f)));
    assert.equal(existsSync(join(s.dir, '00000032.jpg')), false);
    for (const [x, y, w, h] of s.boxes) assert.ok(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= W + 1e-9 && y + h <= H + 1e-9);
    s.cover.forEach((c, t) => assert.equal(s.absent[t], c === 0 ? 1 : 0));
    assert.equal(s.cover[0], 8, 'the first frame shows the whole target');
    assert.match(await readFile(join(s.dir, 'groundtruth.txt'), 'utf8'), /^(\d+\.\d{4},){3}\d+\.\d{4}\n/);
  }
});
