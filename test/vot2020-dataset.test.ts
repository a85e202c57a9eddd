import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadVot2020 } from '../src/benchmarks/vot2020/dataset/layout.ts';
import { anchors } from '../src/benchmarks/vot2020/dataset/types.ts';
import { put, tempDir } from './helpers/files.ts';
import { anchorValues, writeVot2020Fixture } from './helpers/vot2020-fixture.ts';

const gt = (n: number) => Array.from({ length: n }, (_, f) => `m${f},0,2,2,0,4`);

test('the VOT2020+ layout: metadata, mask ground truth, anchors, tags and values', async (t) => {
  const root = tempDir(t, 'vot2020-ds-');
  writeVot2020Fixture(root, [
    { name: 'a', width: 64, height: 48, groundtruth: gt(6), anchor: anchorValues(6, [0, 3], [5]), tags: { occlusion: [0, 1, 1] } },
  ]);
  put(join(root, 'a', 'sequence'), 'channels.color=color/%08d.jpg\nfps=25\nlength=8\nwidth=64\nheight=48\n');
  put(join(root, 'a', 'anchor.value'), '1\n0\n0\n1\n0\n-1\n');
  put(join(root, 'a', 'camera_motion.tag'), '1\n1.0\n 1\n');
  const ds = await loadVot2020('VOT2022', root);
  const s = ds.sequences[0];
  assert.deepEqual([s.length, s.width, s.height, s.fps], [8, 64, 48, 25]);
  assert.equal(s.frames[0], join(root, 'a', 'color', '00000001.jpg'));
  // the 6 ground-truth rows are padded to the 8 frames with the unknown code
  assert.equal(s.groundtruth.length, 8);
  assert.deepEqual(s.groundtruth[7], { type: 'special', code: 0 });
  assert.equal(s.groundtruth[1].type, 'mask');
  // a tag is set only by a line that is exactly 1
  assert.deepEqual(Array.from(s.tags.camera_motion), [1, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(s.tags.occlusion), [0, 1, 1, 0, 0, 0, 0, 0]);
  assert.deepEqual(anchors(s), [
    { frame: 0, direction: 'forward' },
    { frame: 3, direction: 'forward' },
    { frame: 5, direction: 'backward' },
  ]);
});

test('blank lines, where the toolkit crashes, are named by file and line', async (t) => {
  const root = tempDir(t, 'vot2020-ds-');
  writeVot2020Fixture(root, [{ name: 'a', groundtruth: gt(4), anchor: [1, 0, 0, 0] }]);
  put(join(root, 'a', 'anchor.value'), '1\n\n0\n');
  await assert.rejects(
    loadVot2020('VOT2022', root),
    (e: Error) => e.message === `${join(root, 'a', 'anchor.value')}:2: blank line in a value file`,
  );
  put(join(root, 'a', 'anchor.value'), '1\n0\n0\n0\n0\n');
  await assert.rejects(loadVot2020('VOT2022', root), /anchor\.value:5: 5 values for 4 frames/);
  put(join(root, 'a', 'anchor.value'), '1\n');
  put(join(root, 'list.txt'), 'a\n\na\n');
  await assert.rejects(loadVot2020('VOT2022', root), /list\.txt:2: blank line in the sequence list/);
  put(join(root, 'list.txt'), 'a\n');
  put(join(root, 'a', 'sequence'), 'length=4\n\nwidth=10\n');
  await assert.rejects(loadVot2020('VOT2022', root), /sequence:2: blank line in the sequence metadata/);
  put(join(root, 'a', 'sequence'), 'length=4\nwidth=10\nheight=10\n');
  put(join(root, 'a', 'groundtruth.txt'), '1,1,2,2\nmask:0,0,2,2,0,4\n');
  await assert.rejects(loadVot2020('VOT2022', root), /groundtruth\.txt:2: 'mask:' is TraX's spelling/);
});

test('a sequence with neither length= nor images is an error naming its sequence file', async (t) => {
  const root = tempDir(t, 'vot2020-ds-');
  writeVot2020Fixture(root, [{ name: 'a', groundtruth: gt(4), anchor: [1, 0, 0, 0] }]);
  put(join(root, 'a', 'sequence'), 'channels.color=color/%08d.jpg\n');
  await assert.rejects(loadVot2020('VOT2022', root), /sequence: no length= and no image .*00000001\.jpg/);
});
