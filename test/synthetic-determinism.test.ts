import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { generateSplit, splitSettings } from '../src/synthetic/index.ts';

const tmp = await mkdtemp(join(tmpdir(), 'siambench-synth-det-'));
test.after(() => rm(tmp, { recursive: true, force: true }));

async function files(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(dir, e.name));
      else out.push(relative(root, join(dir, e.name)));
    }
  };
  await walk(root);
  return out.sort();
}

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

const test3 = splitSettings('test', { testSequences: 3, testFrames: 30 });
const a = join(tmp, 'a');
const b = join(tmp, 'b');
const manifestA = await generateSplit('test', test3, a);
// Rendered on two worker threads this time: the threads must not change a byte.
const manifestB = await generateSplit('test', test3, b, undefined, 2);

test('same seed and settings: the same files, byte for byte, and the same manifest (one thread or two)', async () => {
  const listA = await files(a);
  assert.deepEqual(await files(b), listA);
  // 3 sequences x (30 OTB + 30 VOT frames, gt + attrs, gt + 5 tags + sequence) + list.txt
  assert.equal(listA.length, 3 * (60 + 2 + 7) + 1);
  for (const f of listA) assert.ok((await readFile(join(a, f))).equals(await readFile(join(b, f))), `${f} differs`);
  assert.deepEqual(manifestB, manifestA);
});

test('another seed gives other scenes: every frame and every ground truth differs', async () => {
  const c = join(tmp, 'c');
  await generateSplit('test', { ...test3, seed: test3.seed + 1 }, c);
  for (const name of ['Synth001', 'Synth002', 'Synth003']) {
    for (const f of [
      `otb/${name}/img/0001.jpg`,
      `otb/${name}/img/0030.jpg`,
      `otb/${name}/groundtruth_rect.txt`,
      `vot/${name}/groundtruth.txt`,
    ]) {
      assert.ok(!(await readFile(join(a, f))).equals(await readFile(join(c, f))), `${f} is the same under seed ${test3.seed + 1}`);
    }
  }
});

test('train and test splits of one base seed share no frame', async () => {
  const d = join(tmp, 'd');
  await generateSplit('train', splitSettings('train', { trainSequences: 3, trainFrames: 30 }), d);
  const testHashes = new Set<string>();
  for (const f of (await files(a)).filter((f) => f.endsWith('.jpg'))) testHashes.add(md5(await readFile(join(a, f))));
  const trainFrames = (await files(d)).filter((f) => f.endsWith('.jpg'));
  assert.equal(trainFrames.length, 90);
  for (const f of trainFrames) assert.ok(!testHashes.has(md5(await readFile(join(d, f)))), `${f} also in the test split`);
});

test('the VOT frames are the OTB frames, hard-linked rather than encoded twice', async () => {
  const otb = await stat(join(a, 'otb/Synth002/img/0007.jpg'));
  const vot = await stat(join(a, 'vot/Synth002/color/00000007.jpg'));
  assert.equal(vot.ino, otb.ino);
  assert.ok(otb.nlink >= 2);
});
