import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { UserError } from '../src/core/errors.ts';
import { loadVot } from '../src/benchmarks/vot/dataset/index.ts';

async function jpeg(path: string, width: number, height: number) {
  await sharp({ create: { width, height, channels: 3, background: { r: 90, g: 120, b: 200 } } })
    .jpeg()
    .toFile(path);
}

test('official layout: list.txt, sequence metadata, color/ images, .tag files (short ones padded and reported)', async () => {
  const root = mkdtempSync(join(tmpdir(), 'vot-layout-'));
  try {
    writeFileSync(join(root, 'list.txt'), 'ball\nold\n');
    const ball = join(root, 'ball');
    mkdirSync(join(ball, 'color'), { recursive: true });
    writeFileSync(join(ball, 'groundtruth.txt'), '1,2,11,2,11,12,1,12\n2,3,12,3,12,13,2,13\n3,4,10,10\n');
    writeFileSync(join(ball, 'sequence'), 'channels.color=color/%08d.jpg\nfps=30\nformat=default\nname=ball\n');
    for (let i = 1; i <= 3; i++) await jpeg(join(ball, 'color', `${String(i).padStart(8, '0')}.jpg`), 64, 48);
    writeFileSync(join(ball, 'occlusion.tag'), '0\n1\n');
    writeFileSync(join(ball, 'camera_motion.tag'), '1\n1\n1\n');
    // An older sequence: images in the folder itself, `.label` tag files, no `sequence` file.
    const old = join(root, 'old');
    mkdirSync(old);
    writeFileSync(join(old, 'groundtruth.txt'), '0,0,5,5\r\n1,1,5,5\r\n');
    writeFileSync(join(old, 'size_change.label'), '0\n1\n');
    await jpeg(join(old, '00000001.jpg'), 32, 16);
    await jpeg(join(old, '00000002.jpg'), 32, 16);

    const ds = await loadVot('synthetic-vot', root);
    assert.equal(ds.format, 'layout');
    assert.deepEqual(
      ds.sequences.map((s) => s.name),
      ['ball', 'old'],
    );
    const [b, o] = ds.sequences;
    assert.equal(b.length, 3);
    assert.deepEqual(b.groundtruth[2], [3, 4, 10, 10]);
    assert.equal(b.frames[2], join(ball, 'color', '00000003.jpg'));
    assert.deepEqual([b.hasImages, b.width, b.height], [true, 64, 48]);
    assert.equal(b.metadata.fps, '30');
    assert.deepEqual([...b.tags.occlusion], [0, 1, 0]);
    assert.deepEqual([...b.tags.camera_motion], [1, 1, 1]);
    assert.deepEqual([...b.tags.empty], [0, 0, 0]);
    assert.deepEqual(ds.warnings, ['ball/occlusion: 2 of 3 frames tagged; padded with 0']);
    assert.deepEqual([o.width, o.height, o.frames[0]], [32, 16, join(old, '00000001.jpg')]);
    assert.deepEqual([...o.tags.size_change], [0, 1]);
    assert.deepEqual([...o.tags.empty], [1, 0]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('layout errors name the file and line', async () => {
  const root = mkdtempSync(join(tmpdir(), 'vot-layout-bad-'));
  try {
    writeFileSync(join(root, 'list.txt'), 'a\nmissing\n');
    mkdirSync(join(root, 'a'));
    writeFileSync(join(root, 'a', 'groundtruth.txt'), '1,2,3,4\n1,2,3,4,5\n');
    await assert.rejects(
      loadVot('VOT2016', root),
      (e: unknown) =>
        e instanceof UserError &&
        e.message ===
          `${join(root, 'a', 'groundtruth.txt')}:2: 5 values: a region is 4 numbers (x,y,w,h) or an even count of 6 or more (polygon)`,
    );
    writeFileSync(join(root, 'a', 'groundtruth.txt'), '1,2,3,4\n');
    await assert.rejects(loadVot('VOT2016', root), new RegExp(`list\\.txt:2: sequence 'missing' has no`));
    writeFileSync(join(root, 'list.txt'), 'a\n');
    writeFileSync(join(root, 'a', 'occlusion.tag'), '0\nyes\n');
    await assert.rejects(loadVot('VOT2016', root), /occlusion\.tag:2: 'yes' is not 0 or 1/);
    await assert.rejects(loadVot('VOT2016', join(root, 'nope')), /--root: no such file or directory/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('pysot JSON: polygons and rectangles, sizes from images when they exist, optional otherwise', async () => {
  const root = mkdtempSync(join(tmpdir(), 'vot-json-'));
  try {
    mkdirSync(join(root, 'seen', 'color'), { recursive: true });
    await jpeg(join(root, 'seen', 'color', '00000001.jpg'), 40, 30);
    const json = {
      seen: {
        video_dir: 'seen',
        init_rect: [1, 1, 9, 1, 9, 9, 1, 9],
        img_names: ['seen/color/00000001.jpg', 'seen/color/00000002.jpg'],
        gt_rect: [
          [1, 1, 9, 1, 9, 9, 1, 9],
          [2, 2, 8, 8],
        ],
        camera_motion: [1, 0],
        illum_change: [0, 0],
        motion_change: [0],
        size_change: [0, 0],
        occlusion: [0, 0],
      },
      unseen: {
        video_dir: 'unseen',
        init_rect: [0, 0, 4, 4],
        img_names: ['unseen/color/00000001.jpg'],
        gt_rect: [[0, 0, 4, 4]],
        camera_motion: [0],
        illum_change: [0],
        motion_change: [0],
        size_change: [0],
        occlusion: [0],
      },
    };
    // A set of one's own: a year's name would check the sequences against that year's list (vot-year.test.ts).
    writeFileSync(join(root, 'my-vot.json'), JSON.stringify(json));
    const ds = await loadVot('my-vot', root); // a folder holding <dataset>.json
    assert.equal(ds.format, 'pysot-json');
    const [s, u] = ds.sequences;
    assert.deepEqual([s.width, s.height, s.hasImages], [40, 30, true]);
    assert.deepEqual(s.groundtruth[1], [2, 2, 8, 8]);
    assert.deepEqual([...s.tags.motion_change], [0, 0]);
    assert.deepEqual([...s.tags.empty], [0, 1]);
    assert.deepEqual([u.width, u.height, u.hasImages], [undefined, undefined, false]);
    assert.deepEqual(ds.warnings, ['seen/motion_change: 1 of 2 frames tagged; padded with 0']);
    writeFileSync(join(root, 'bad.json'), JSON.stringify({ x: { gt_rect: [[1, 2, 3]] } }));
    await assert.rejects(loadVot('VOT2018', join(root, 'bad.json')), /sequence 'x': gt_rect\[0\] is not a rectangle/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('symbolic links: linked sequence folders without list.txt, a linked root and linked tag files load; dangling ones are named', async () => {
  const store = mkdtempSync(join(tmpdir(), 'vot-links-store-'));
  const root = mkdtempSync(join(tmpdir(), 'vot-links-'));
  try {
    const seq = join(store, 'ball');
    mkdirSync(seq);
    writeFileSync(join(seq, 'groundtruth.txt'), '1,2,10,10\n2,3,10,10\n');
    writeFileSync(join(store, 'occlusion.tag'), '0\n1\n');
    symlinkSync(join(store, 'occlusion.tag'), join(seq, 'occlusion.tag'));
    symlinkSync(join(store, 'nowhere', 'size_change.tag'), join(seq, 'size_change.tag'));
    symlinkSync(seq, join(root, 'ball'));
    symlinkSync(join(store, 'nowhere', 'lost'), join(root, 'lost'));
    for (const r of [root, join(store, 'root-link')]) {
      if (r !== root) symlinkSync(root, r);
      const ds = await loadVot('synthetic-vot', r);
      assert.deepEqual(
        ds.sequences.map((s) => s.name),
        ['ball'],
      );
      assert.deepEqual([...ds.sequences[0].tags.occlusion], [0, 1]);
      assert.ok(
        ds.warnings.includes(
          `${join(r, 'lost')}: dangling symbolic link (to ${join(store, 'nowhere', 'lost')}); not a sequence folder, skipped`,
        ),
        ds.warnings.join('\n'),
      );
      assert.ok(
        ds.warnings.includes(
          `${join(r, 'ball', 'size_change.tag')}: dangling symbolic link (to ${join(store, 'nowhere', 'size_change.tag')}); ball/size_change: no frame tagged`,
        ),
        ds.warnings.join('\n'),
      );
    }
    // Named in list.txt, a dangling sequence folder is a one-line error that says so.
    writeFileSync(join(root, 'list.txt'), 'ball\nlost\n');
    await assert.rejects(
      loadVot('VOT2016', root),
      (e: unknown) => e instanceof UserError && /list\.txt:2: sequence 'lost' has no .*\(.*lost: dangling symbolic link/.test(e.message),
    );
    await assert.rejects(loadVot('VOT2016', join(root, 'lost')), /--root: .*lost: dangling symbolic link/);
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(store, { recursive: true, force: true });
  }
});
