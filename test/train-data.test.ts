import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { readGot10kSplit, frameName } from '../src/benchmarks/got10k/layout.ts';
import { DEFAULT_PAIR_SETTINGS, PairSampler, holdOut, usableFrames } from '../src/benchmarks/got10k/pairs.ts';
import { DEFAULT_CROP_SETTINGS, cropAround, samplePatch, withoutAugmentation, type RgbImage } from '../src/training/crops.ts';
import { PairBatches } from '../src/training/batches.ts';
import { Rng } from '../src/core/random.ts';
import { type ImageBox, imageBox } from '../src/core/types.ts';

const W = 96;
const H = 72;

/** A grey frame with a red square: the box moves 1 px right per frame. */
function frame(box: ImageBox): Buffer {
  const px = Buffer.alloc(W * H * 3, 100);
  for (let y = box[1]; y < box[1] + box[3]; y++) {
    for (let x = box[0]; x < box[0] + box[2]; x++) px.set([220, 30, 30], (y * W + x) * 3);
  }
  return px;
}

async function makeSplit(root: string, seqs: { name: string; n: number; absentAt?: number[]; coverZeroAt?: number[] }[]) {
  await mkdir(root, { recursive: true });
  await writeFile(join(root, 'list.txt'), seqs.map((s) => s.name).join('\n') + '\n');
  for (const s of seqs) {
    const dir = join(root, s.name);
    await mkdir(dir, { recursive: true });
    const boxes: ImageBox[] = Array.from({ length: s.n }, (_, i) => imageBox([20 + i, 24, 16, 16]));
    await Promise.all(
      boxes.map((b, i) =>
        sharp(frame(b), { raw: { width: W, height: H, channels: 3 } })
          .jpeg({ quality: 95 })
          .toFile(join(dir, frameName(i))),
      ),
    );
    await writeFile(join(dir, 'groundtruth.txt'), boxes.map((b) => b.join(',')).join('\n') + '\n');
    await writeFile(join(dir, 'absence.label'), boxes.map((_, i) => (s.absentAt?.includes(i) ? 1 : 0)).join('\n') + '\n');
    await writeFile(join(dir, 'cover.label'), boxes.map((_, i) => (s.coverZeroAt?.includes(i) ? 0 : 8)).join('\n') + '\n');
  }
}

const tmp = await mkdtemp(join(tmpdir(), 'siambench-train-data-'));
const split = join(tmp, 'train');
await makeSplit(split, [
  { name: 'GOT-10k_Train_000001', n: 6, absentAt: [2], coverZeroAt: [3] },
  { name: 'GOT-10k_Train_000002', n: 4 },
  { name: 'GOT-10k_Train_000003', n: 3 },
  { name: 'GOT-10k_Train_000004', n: 3 },
]);
test.after(() => rm(tmp, { recursive: true, force: true }));

test('GOT-10k layout: sequences, boxes, absence and cover labels', async () => {
  const seqs = await readGot10kSplit(split);
  assert.deepEqual(
    seqs.map((s) => s.name),
    ['GOT-10k_Train_000001', 'GOT-10k_Train_000002', 'GOT-10k_Train_000003', 'GOT-10k_Train_000004'],
  );
  assert.equal(seqs[0].frames.length, 6);
  assert.match(seqs[0].frames[5], /GOT-10k_Train_000001\/00000006\.jpg$/);
  assert.deepEqual(seqs[0].boxes[1], [21, 24, 16, 16]);
  assert.deepEqual([...seqs[0].absent], [0, 0, 1, 0, 0, 0]);
  assert.deepEqual(usableFrames(seqs[0], DEFAULT_PAIR_SETTINGS), [0, 1, 4, 5]);
  assert.deepEqual(usableFrames(seqs[0], { ...DEFAULT_PAIR_SETTINGS, minSide: 17 }), []);
});

test('GOT-10k layout: broken files are user errors naming file and line', async () => {
  const bad = join(tmp, 'bad');
  await makeSplit(bad, [{ name: 'a', n: 3 }]);
  await writeFile(join(bad, 'a', 'groundtruth.txt'), '1,2,3,4\n1,2,x,4\n1,2,3,4\n');
  await assert.rejects(readGot10kSplit(bad), /a\/groundtruth\.txt:2: expected 4 numbers/);
  await writeFile(join(bad, 'a', 'groundtruth.txt'), '1,2,3,4\n1,2,3,4\n1,2,3,4\n');
  await writeFile(join(bad, 'a', 'cover.label'), '8\n9\n8\n');
  await assert.rejects(readGot10kSplit(bad), /a\/cover\.label:2: expected an integer 0\.\.8/);
  await writeFile(join(bad, 'a', 'cover.label'), '8\n8\n');
  await assert.rejects(readGot10kSplit(bad), /cover\.label:3: 2 lines, but groundtruth\.txt has 3/);
  await writeFile(join(bad, 'list.txt'), 'a\nmissing\n');
  await assert.rejects(readGot10kSplit(bad), /list\.txt:2: sequence directory .*missing' does not exist/);
  await assert.rejects(readGot10kSplit(join(tmp, 'nowhere')), /list\.txt: missing; expected a GOT-10k layout/);
});

test('pairs: usable frames only, at most maxGap apart, same draws from the same seed', async () => {
  const seqs = await readGot10kSplit(split);
  const sampler = new PairSampler(seqs, { ...DEFAULT_PAIR_SETTINGS, maxGap: 1 });
  const draw = (seed: number) => {
    const rng = new Rng(seed);
    return Array.from({ length: 200 }, () => sampler.sample(rng));
  };
  const pairs = draw(7);
  for (const p of pairs) {
    const usable = usableFrames(p.seq, DEFAULT_PAIR_SETTINGS);
    assert.ok(usable.includes(p.z) && usable.includes(p.x), `${p.seq.name} ${p.z} ${p.x}`);
    assert.ok(Math.abs(p.z - p.x) <= 1);
    // Frames 0,1 and 4,5 of the first sequence are the only neighbours; a frame never pairs with itself when another is in reach.
    assert.notEqual(p.z, p.x);
  }
  assert.equal(new Set(pairs.map((p) => p.seq.name)).size, 4, 'every sequence gets drawn');
  assert.deepEqual(
    draw(7).map((p) => [p.seq.name, p.z, p.x]),
    pairs.map((p) => [p.seq.name, p.z, p.x]),
  );
});

test('validation hold-out: disjoint, seeded, independent of list order', async () => {
  const seqs = await readGot10kSplit(split);
  const a = holdOut(seqs, 0.25, 1);
  assert.equal(a.val.length, 1);
  assert.equal(a.train.length, 3);
  assert.ok(!a.train.some((s) => a.val.includes(s)));
  const b = holdOut([...seqs].reverse(), 0.25, 1);
  assert.deepEqual(
    b.val.map((s) => s.name),
    a.val.map((s) => s.name),
  );
  assert.throws(() => holdOut(seqs, 1, 1), /--val-fraction must be in \[0, 1\)/);
  assert.throws(() => holdOut(seqs.slice(0, 1), 0.1, 1), /too few to hold out/);
});

test('bilinear sampling: hand-computed values and the fill colour outside the frame', () => {
  // 2x1 image: left pixel (0,0,0), right pixel (200,100,50).
  const img: RgbImage = { width: 2, height: 1, data: Uint8Array.from([0, 0, 0, 200, 100, 50]) };
  const out = new Float32Array(3 * 3 * 3);
  samplePatch(img, [10, 20, 30], out, 0, 3, 0, 0, 0.5);
  // Row 0: x = 0, 0.5, 1 -> 0, half-way, right pixel.
  assert.deepEqual([...out.slice(0, 9)], [0, 0, 0, 100, 50, 25, 200, 100, 50]);
  // Row 1 (y = 0.5) blends half of row 0 with the fill colour.
  assert.deepEqual([...out.slice(9, 12)], [5, 10, 15]);
  // Row 2 (y = 1) lies wholly outside: the fill colour.
  assert.deepEqual([...out.slice(18, 21)], [10, 20, 30]);
});

test('crops: target centred at the exemplar scale; shifts move the crop by whole pixels', () => {
  const box = imageBox([40, 30, 16, 16]);
  const img: RgbImage = { width: W, height: H, data: new Uint8Array(frame(box)) };
  const fill = [100, 100, 100];
  const s = withoutAugmentation(DEFAULT_CROP_SETTINGS);
  const z = new Float32Array(127 * 127 * 3);
  cropAround(img, fill, box, 127, { scale: 1, shiftX: 0, shiftY: 0 }, s, z, 0);
  const at = (a: Float32Array, size: number, u: number, v: number) =>
    [...a.slice((v * size + u) * 3, (v * size + u) * 3 + 3)].map(Math.round);
  // s_z = sqrt(32*32) = 32 frame pixels over 127: the 16 px target spans the central ~63 pixels.
  assert.deepEqual(at(z, 127, 63, 63), [220, 30, 30]);
  assert.deepEqual(at(z, 127, 63 + 28, 63 - 28), [220, 30, 30]);
  assert.deepEqual(at(z, 127, 63 + 36, 63), [100, 100, 100]);
  assert.deepEqual(at(z, 127, 5, 120), [100, 100, 100]);
  const x0 = new Float32Array(239 * 239 * 3);
  const x1 = new Float32Array(239 * 239 * 3);
  cropAround(img, fill, box, 239, { scale: 1, shiftX: 0, shiftY: 0 }, s, x0, 0);
  cropAround(img, fill, box, 239, { scale: 1, shiftX: 4, shiftY: -3 }, s, x1, 0);
  for (const [u, v] of [
    [10, 10],
    [100, 119],
    [119, 119],
    [200, 150],
  ]) {
    assert.deepEqual(at(x1, 239, u, v), at(x0, 239, u + 4, v - 3));
  }
  // A stretch > 1 magnifies: the target's edge moves outwards from the centre.
  const edge = (a: Float32Array) => {
    let u = 119;
    while (at(a, 239, u, 119)[1] < 65) u++;
    return u;
  };
  const big = new Float32Array(239 * 239 * 3);
  cropAround(img, fill, box, 239, { scale: 1.05, shiftX: 0, shiftY: 0 }, s, big, 0);
  assert.ok(edge(big) > edge(x0), `${edge(big)} vs ${edge(x0)}`);
});

test('batches: seeded, prefetched, grey pairs grey, resumable from the saved random state', async () => {
  const seqs = await readGot10kSplit(split);
  const sampler = new PairSampler(seqs);
  const crops = { ...DEFAULT_CROP_SETTINGS, grayProb: 0.5 };
  const a = new PairBatches(sampler, new Rng(3), 4, crops);
  const b = new PairBatches(sampler, new Rng(3), 4, crops);
  const a1 = await a.next();
  const state = a.rngState();
  const a2 = await a.next();
  assert.equal(a1.exemplars.length, 4 * 127 * 127 * 3);
  assert.equal(a1.searches.length, 4 * 239 * 239 * 3);
  assert.deepEqual(await b.next(), a1);
  assert.deepEqual(await b.next(), a2);
  const resumed = new PairBatches(sampler, new Rng(0).restore(state), 4, crops);
  assert.deepEqual(await resumed.next(), a2);
  let grey = 0;
  for (const batch of [a1, a2]) {
    for (let i = 0; i < 4; i++) {
      const o = i * 239 * 239 * 3 + (119 * 239 + 119) * 3;
      if (batch.searches[o] === batch.searches[o + 1] && batch.searches[o + 1] === batch.searches[o + 2]) grey++;
      else assert.ok(batch.searches[o] > 150 && batch.searches[o + 1] < 80, 'the red target sits at the search centre');
    }
  }
  assert.ok(grey > 0 && grey < 8, `${grey} of 8 pairs grey`);
});
