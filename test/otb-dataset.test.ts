/**
 * The OTB loaders on small hand-made roots, one quirk at a time: every root form, delimiters, CRLF,
 * two-target folders, frame ranges, Tiger1's initOmit, Board's 5-digit images, aliases, errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { loadOtb, nameResolver, resolveOtbName } from '../src/benchmarks/otb/dataset/index.ts';
import { UserError } from '../src/core/errors.ts';
import { parseBoxText } from '../src/benchmarks/otb/dataset/parse.ts';
import { put, tempDir } from './helpers/files.ts';

/** n rows x,y,w,h = i+1, 2i+1, 10, 20 (1-based row i), comma separated. */
const rows = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `${i + from},${2 * (i + from) - 1},10,20`).join('\n') + '\n';

async function jpeg(path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  await sharp({ create: { width: 8, height: 6, channels: 3, background: { r: 200, g: 10, b: 10 } } })
    .jpeg()
    .toFile(path);
}

async function rawRoot(root: string): Promise<void> {
  // Mixed delimiters within one file (comma, tab, spaces, both), CRLF line ends, a blank last line.
  put(join(root, 'Basketball', 'groundtruth_rect.txt'), '198,214,34,81\r\n197\t214\t34\t81\r\n196 213  34 81\r\n195, 212\t34  81\r\n\r\n');
  put(join(root, 'Jogging', 'groundtruth_rect.1.txt'), rows(3));
  put(join(root, 'Jogging', 'groundtruth_rect.2.txt'), rows(3, 100));
  put(join(root, 'Human4', 'groundtruth_rect.1.txt'), ''); // Human4's first target is not annotated
  put(join(root, 'Human4', 'groundtruth_rect.2.txt'), rows(2, 50));
  put(join(root, 'David', 'groundtruth_rect.txt'), rows(471, 300));
  put(join(root, 'BlurCar1', 'groundtruth_rect.txt'), rows(742, 247));
  put(join(root, 'Tiger1', 'groundtruth_rect.txt'), rows(354));
  put(join(root, 'Board', 'groundtruth_rect.txt'), rows(3));
  for (const i of [1, 2, 3]) await jpeg(join(root, 'Board', 'img', `0000${i}.jpg`));
}

test('raw layout: delimiters, CRLF, two-target folders, frame ranges, initOmit, 5-digit images', async (t) => {
  const root = tempDir(t, 'otb-ds-');
  await rawRoot(root);
  const ds = await loadOtb('OTB100', root);
  assert.deepEqual(
    ds.targets.map((x) => x.name),
    ['Basketball', 'BlurCar1', 'Board', 'David', 'Human4-2', 'Jogging-1', 'Jogging-2', 'Tiger1'],
  );
  const get = (n: string) => ds.targets.find((x) => x.name === n)!;
  assert.deepEqual(get('Basketball').groundTruth, [
    [198, 214, 34, 81],
    [197, 214, 34, 81],
    [196, 213, 34, 81],
    [195, 212, 34, 81],
  ]);
  assert.deepEqual(get('Basketball').attributes, ['IV', 'OCC', 'DEF', 'OPR', 'BC']);
  assert.equal(get('Jogging-1').sequence, 'Jogging');
  assert.deepEqual(get('Jogging-1').groundTruth[0], [1, 1, 10, 20]);
  assert.deepEqual(get('Jogging-2').groundTruth[0], [100, 199, 10, 20]);
  assert.equal(get('Human4-2').sequence, 'Human4');
  assert.deepEqual(get('Human4-2').groundTruth, [
    [50, 99, 10, 20],
    [51, 101, 10, 20],
  ]);
  assert.deepEqual([get('David').frames[0], get('David').frames.at(-1), get('David').frames.length], [300, 770, 471]);
  assert.deepEqual([get('BlurCar1').frames[0], get('BlurCar1').frames.at(-1)], [247, 988]);
  assert.equal(get('Tiger1').initOmit, 5);
  assert.equal(get('David').initOmit, 0);
  assert.deepEqual(
    get('Board').images,
    [1, 2, 3].map((i) => join(root, 'Board', 'img', `0000${i}.jpg`)),
  );
  assert.equal(get('Basketball').images, undefined, 'no img/ folder: evaluation from annotations alone');
  assert.ok(
    ds.warnings.some((w) => /92 of 100 OTB100 target\(s\) not in/.test(w)),
    ds.warnings.join('\n'),
  );
});

test('the dataset name picks the targets: OTB2013 and OTB50 from the same root', async (t) => {
  const root = tempDir(t, 'otb-ds-');
  await rawRoot(root);
  assert.deepEqual(
    (await loadOtb('OTB2013', root)).targets.map((x) => x.name),
    ['Basketball', 'David', 'Jogging-1', 'Jogging-2', 'Tiger1'],
  );
  assert.deepEqual(
    (await loadOtb('otb50', root)).targets.map((x) => x.name),
    ['Basketball', 'David', 'Human4-2'],
  );
});

test('a ground-truth file holding rows from image 1 is cut to the evaluated range, with a warning', async (t) => {
  const root = tempDir(t, 'otb-ds-');
  put(join(root, 'David', 'groundtruth_rect.txt'), rows(770));
  const ds = await loadOtb('OTB100', root);
  const david = ds.targets[0];
  assert.equal(david.groundTruth.length, 471);
  assert.equal(david.frames[0], 300);
  assert.deepEqual(david.groundTruth[0], [300, 599, 10, 20]);
  assert.ok(
    ds.warnings.some((w) => /770 rows.*300-770/.test(w)),
    ds.warnings.join('\n'),
  );
});

test('malformed ground truth is a one-line file:line error', async (t) => {
  const root = tempDir(t, 'otb-ds-');
  const file = join(root, 'Basketball', 'groundtruth_rect.txt');
  for (const [text, line, msg] of [
    ['1,2,3,4\n5,6,abc,8\n', 2, /not a number: 'abc'/],
    ['1,2,3,4\n1,2,3,4\n5,6,7\n', 3, /expected 4 values x,y,w,h, got 3/],
    ['1,2,3,4\n\n5,6,7,8\n', 2, /empty line before the end/],
  ] as const) {
    put(file, text);
    await assert.rejects(loadOtb('OTB100', root), (err: Error) => {
      assert.ok(err instanceof UserError);
      assert.equal(err.message.split('\n').length, 1);
      assert.ok(err.message.startsWith(`${file}:${line}: `), err.message);
      assert.match(err.message, msg);
      return true;
    });
  }
});

test('pysot JSON: frames from image names (Tiger1 from 6, initOmit 0), attr names to codes, aliases', async (t) => {
  const root = tempDir(t, 'otb-ds-');
  const json = {
    Tiger1: {
      video_dir: 'Tiger1',
      init_rect: [6, 11, 10, 20],
      img_names: [6, 7, 8].map((i) => `Tiger1/img/000${i}.jpg`),
      gt_rect: [
        [6, 11, 10, 20],
        [7, 13, 10, 20],
        [8, 15, 10, 20],
      ],
      attr: ['Illumination Variation', 'Out-of-Plane Rotation'],
    },
    'Jogging-1': {
      video_dir: 'Jogging-1',
      init_rect: [1, 1, 10, 20],
      img_names: ['Jogging/img/0001.jpg', 'Jogging/img/0002.jpg'],
      gt_rect: [
        [1, 1, 10, 20],
        [2, 3, 10, 20],
      ],
      attr: ['Occlusion'],
    },
    Board: {
      video_dir: 'Board',
      init_rect: [1, 1, 10, 20],
      img_names: ['Board/img/00001.jpg', 'Board/img/00002.jpg'],
      gt_rect: [
        [1, 1, 10, 20],
        [2, 3, 10, 20],
      ],
      attr: [],
    },
  };
  put(join(root, 'OTB100.json'), JSON.stringify(json));
  await jpeg(join(root, 'Board', 'img', '00001.jpg'));
  await jpeg(join(root, 'Board', 'img', '00002.jpg'));
  const ds = await loadOtb('OTB100', join(root, 'OTB100.json'));
  const tiger = ds.targets.find((x) => x.name === 'Tiger1')!;
  assert.deepEqual(tiger.frames, [6, 7, 8]);
  assert.equal(tiger.initOmit, 0);
  assert.deepEqual(tiger.attributes, ['IV', 'OPR']);
  assert.equal(tiger.images, undefined, 'no images beside the JSON');
  assert.equal(ds.targets.find((x) => x.name === 'Jogging-1')!.sequence, 'Jogging');
  assert.deepEqual(ds.targets.find((x) => x.name === 'Board')!.images, [
    join(root, 'Board', 'img', '00001.jpg'),
    join(root, 'Board', 'img', '00002.jpg'),
  ]);
  // Rows from image 1: the toolkit's initOmit applies (built in).
  json.Tiger1.img_names = Array.from({ length: 8 }, (_, i) => `Tiger1/img/000${i + 1}.jpg`);
  json.Tiger1.gt_rect = Array.from({ length: 8 }, (_, i) => [i + 1, 1, 10, 20]);
  put(join(root, 'OTB100.json'), JSON.stringify(json));
  assert.equal((await loadOtb('OTB100', join(root, 'OTB100.json'))).targets.find((x) => x.name === 'Tiger1')!.initOmit, 5);
  // OTB2013 from the OTB100 file: Board is not an OTB-2013 target.
  assert.deepEqual(
    (await loadOtb('OTB2013', join(root, 'OTB100.json'))).targets.map((x) => x.name),
    ['Jogging-1', 'Tiger1'],
  );
});

test('DaSiamRPN JSON: lower-camel keys resolve, folder from `name`, built-in attributes', async (t) => {
  const root = tempDir(t, 'otb-ds-');
  const rec = (name: string, first: number, n: number) => ({
    name,
    image_files: Array.from({ length: n }, (_, i) => `${String(first + i).padStart(4, '0')}.jpg`),
    init_rect: [1, 1, 10, 20],
    gt_rect: Array.from({ length: n }, (_, i) => [i + 1, 1, 10, 20]),
  });
  put(
    join(root, 'OTB2015.json'),
    JSON.stringify({
      jogging_1: rec('Jogging', 1, 3),
      human4_2: rec('Human4', 1, 2),
      blurCar1: rec('BlurCar1', 247, 742),
      carDark: rec('CarDark', 1, 2),
    }),
  );
  const ds = await loadOtb('OTB100', join(root, 'OTB2015.json'));
  assert.deepEqual(
    ds.targets.map((x) => x.name),
    ['BlurCar1', 'CarDark', 'Human4-2', 'Jogging-1'],
  );
  const blur = ds.targets[0];
  assert.deepEqual([blur.frames[0], blur.frames.at(-1)], [247, 988]);
  assert.deepEqual(blur.attributes, ['MB', 'FM']);
  assert.equal(ds.targets[2].sequence, 'Human4');
});

test('toolkit anno folder: toolkit spellings, att flags in toolkit order, initOmit ranges', async (t) => {
  const root = tempDir(t, 'otb-ds-');
  put(join(root, 'anno', 'basketball.txt'), rows(4));
  put(join(root, 'anno', 'Human4.2.txt'), rows(3));
  put(join(root, 'anno', 'jogging-1.txt'), rows(3).replace(/,/g, '\t').replace(/\n/g, '\r\n'));
  put(join(root, 'anno', 'tiger1.txt'), rows(354));
  // Toolkit order IV, OPR, SV, OCC, DEF, MB, FM, IPR, OV, BC, LR: this is IV, OPR, OCC.
  put(join(root, 'anno', 'att', 'basketball.txt'), '1,1,0,1,0,0,0,0,0,0,0');
  put(join(root, 'initOmit', 'tiger1.txt'), '1 5\n9 15 \n');
  put(join(root, 'initOmit', 'basketball.txt'), '2 3\n');
  for (const r of [root, join(root, 'anno')]) {
    const ds = await loadOtb('OTB100', r);
    assert.deepEqual(
      ds.targets.map((x) => x.name),
      ['Basketball', 'Human4-2', 'Jogging-1', 'Tiger1'],
    );
    const get = (n: string) => ds.targets.find((x) => x.name === n)!;
    assert.deepEqual(get('Basketball').attributes, ['IV', 'OPR', 'OCC']);
    assert.equal(get('Basketball').initOmit, 0, 'an initOmit range after the first frame does not move the start');
    assert.deepEqual(get('Human4-2').attributes, ['IV', 'SV', 'OCC', 'DEF'], 'no att file: built-in TB-100 labels');
    assert.deepEqual(get('Jogging-1').groundTruth[2], [3, 5, 10, 20]);
    assert.equal(get('Tiger1').initOmit, 5);
    assert.equal(get('Tiger1').frames.length, 354);
  }
});

test('box text: every value is exactly what Number() reads (decimals, signs, NaN, exponents, long floats)', () => {
  const tokens = [
    '198.000',
    '-0.5',
    '+3',
    '.25',
    '1e2',
    'NaN',
    'nan',
    '213.5',
    '0.1',
    '0.7',
    '12.3456789012345678',
    '-0.000',
    '1.',
    '99999999999999.9',
  ];
  const text = `${tokens.slice(0, 4).join(',')}\n${tokens.slice(4, 8).join('\t')}\n${tokens.slice(8, 12).join('  ')}\r\n${tokens.slice(10, 14).join(' , ')}\n`;
  const got = parseBoxText(text, 'f.txt').flat();
  const want = [...tokens.slice(0, 12), ...tokens.slice(10, 14)].map((t) => (/^nan$/i.test(t) ? NaN : Number(t)));
  assert.equal(got.length, want.length);
  got.forEach((v, i) => assert.ok(Object.is(v, want[i]), `${i}: ${v} vs ${want[i]}`));
  assert.throws(() => parseBoxText('1,2,3,4\n1.2.3,4,5,6\n', 'f.txt'), /^UserError: f\.txt:2: not a number: '1\.2\.3'/);
  assert.throws(() => parseBoxText('1,2,3,-\n', 'f.txt'), /f\.txt:1: not a number: '-'/);
});

test('target names resolve through aliases, case-insensitively', () => {
  for (const s of ['Jogging-1', 'Jogging.1', 'Jogging_1', 'jogging_1', 'Jogging1', 'JOGGING-1'])
    assert.equal(resolveOtbName(s), 'Jogging-1', s);
  for (const s of ['Human4-2', 'Human4_2', 'Human4.2', 'human4_2', 'Human4', 'human4']) assert.equal(resolveOtbName(s), 'Human4-2', s);
  assert.equal(resolveOtbName('BasketBall'), 'Basketball');
  assert.equal(resolveOtbName('Jogging'), undefined, 'Jogging alone is two targets');
  assert.equal(resolveOtbName('Car'), undefined);
  const r = nameResolver(['SeqA', 'Seq-B']);
  assert.equal(r('seqa'), 'SeqA');
  assert.equal(r('Seq_B'), 'Seq-B');
  assert.equal(r('SeqC'), undefined);
});

test('synthetic: every sequence folder, sorted, attributes from attrs.txt, images listed', async (t) => {
  const root = tempDir(t, 'otb-ds-');
  put(join(root, 'SeqB', 'groundtruth_rect.txt'), rows(2));
  put(join(root, 'SeqB', 'attrs.txt'), 'SV, DEF, FM\n');
  put(join(root, 'SeqA', 'groundtruth_rect.txt'), rows(3));
  put(join(root, 'SeqA', 'attrs.txt'), 'OCC');
  put(join(root, 'notes', 'readme.txt'), 'not a sequence');
  for (const i of [1, 2]) await jpeg(join(root, 'SeqB', 'img', `000${i}.jpg`));
  const ds = await loadOtb('synthetic', root);
  assert.equal(ds.name, 'synthetic');
  assert.deepEqual(
    ds.targets.map((x) => x.name),
    ['SeqA', 'SeqB'],
  );
  assert.deepEqual(ds.targets[1].attributes, ['SV', 'DEF', 'FM']);
  assert.deepEqual(ds.targets[0].frames, [1, 2, 3]);
  assert.equal(ds.targets[0].initOmit, 0);
  assert.deepEqual(ds.targets[1].images, [join(root, 'SeqB', 'img', '0001.jpg'), join(root, 'SeqB', 'img', '0002.jpg')]);
  assert.equal(ds.targets[0].images, undefined);
});

test('a missing image for an annotated frame leaves the images out, with a warning', async (t) => {
  const root = tempDir(t, 'otb-ds-');
  put(join(root, 'SeqA', 'groundtruth_rect.txt'), rows(3));
  await jpeg(join(root, 'SeqA', 'img', '0001.jpg'));
  await jpeg(join(root, 'SeqA', 'img', '0003.jpg'));
  const ds = await loadOtb('synthetic', root);
  assert.equal(ds.targets[0].images, undefined);
  assert.ok(
    ds.warnings.some((w) => /no image for 1 annotated frame\(s\) \(first: 2\)/.test(w)),
    ds.warnings.join('\n'),
  );
});

test('roots of no known form, unknown dataset names and missing roots are one-line user errors', async (t) => {
  const root = tempDir(t, 'otb-ds-');
  put(join(root, 'stuff', 'a.txt'), '1,2,3,4\n');
  put(join(root, 'other.json'), JSON.stringify({ a: { frames: [] } }));
  put(join(root, 'bad.json'), '{ nope');
  const cases: [() => Promise<unknown>, RegExp][] = [
    [() => loadOtb('OTB100', root), /: not an OTB root \(expected/],
    [() => loadOtb('OTB100', join(root, 'other.json')), /other\.json: not an OTB description/],
    [() => loadOtb('OTB100', join(root, 'bad.json')), /bad\.json: not valid JSON/],
    [() => loadOtb('OTB100', join(root, 'missing')), /missing: no such file or directory/],
    [() => loadOtb('OTB99', root), /unknown OTB dataset 'OTB99'/],
  ];
  for (const [p, re] of cases) {
    await assert.rejects(p(), (err: Error) => err instanceof UserError && !err.message.includes('\n') && re.test(err.message));
  }
  // A root of the right form without any target of the set.
  put(join(root, 'raw', 'SeqA', 'groundtruth_rect.txt'), rows(2));
  await assert.rejects(loadOtb('OTB100', join(root, 'raw')), /holds none of the 100 OTB100 targets/);
});

test('symbolic links: a linked root, linked sequence folders, ground truth, images and toolkit files load as the real ones; dangling links are named', async (t) => {
  const store = tempDir(t, 'otb-ds-store-');
  await rawRoot(store);
  const want = await loadOtb('OTB100', store);
  const nowhere = join(store, 'nowhere');

  // A root of linked sequence folders, a linked root, and a real folder of linked files.
  const links = tempDir(t, 'otb-ds-links-');
  for (const s of ['Basketball', 'Jogging', 'Human4', 'David', 'BlurCar1', 'Tiger1', 'Board']) symlinkSync(join(store, s), join(links, s));
  symlinkSync(join(nowhere, 'Car4'), join(links, 'Car4'));
  const rootLink = join(tempDir(t, 'otb-ds-rootlink-'), 'root');
  symlinkSync(store, rootLink);
  const files = tempDir(t, 'otb-ds-files-');
  mkdirSync(join(files, 'Board', 'img'), { recursive: true });
  mkdirSync(join(files, 'Basketball'));
  symlinkSync(join(store, 'Board', 'groundtruth_rect.txt'), join(files, 'Board', 'groundtruth_rect.txt'));
  for (const i of [1, 2, 3]) symlinkSync(join(store, 'Board', 'img', `0000${i}.jpg`), join(files, 'Board', 'img', `0000${i}.jpg`));
  symlinkSync(join(nowhere, 'gt.txt'), join(files, 'Basketball', 'groundtruth_rect.txt'), 'file');

  const same = (ds: Awaited<ReturnType<typeof loadOtb>>, names?: string[]) => {
    for (const w of want.targets.filter((x) => !names || names.includes(x.name))) {
      const got = ds.targets.find((x) => x.name === w.name);
      assert.ok(got, `${w.name} loaded`);
      assert.deepEqual({ ...got, images: undefined }, { ...w, images: undefined }, w.name);
      assert.equal(got.images?.length, w.images?.length, `${w.name}: images`);
    }
  };
  const viaLinks = await loadOtb('OTB100', links);
  same(viaLinks);
  assert.ok(
    viaLinks.warnings.some((w) =>
      w.startsWith(`${join(links, 'Car4')}: dangling symbolic link (to ${join(nowhere, 'Car4')}); not a sequence folder`),
    ),
    viaLinks.warnings.join('\n'),
  );
  same(await loadOtb('OTB100', rootLink));
  const viaFiles = await loadOtb('OTB100', files);
  same(viaFiles, ['Board']);
  assert.deepEqual(
    viaFiles.targets.map((x) => x.name),
    ['Board'],
  );
  assert.ok(
    viaFiles.warnings.some((w) => w.includes(`${join(files, 'Basketball', 'groundtruth_rect.txt')}: dangling symbolic link`)),
    viaFiles.warnings.join('\n'),
  );

  // A dangling image: no image for that frame, and the link is named.
  symlinkSync(join(nowhere, '0004.jpg'), join(files, 'Board', 'img', '00004.jpg'));
  rmSync(join(files, 'Board', 'img', '00002.jpg'));
  symlinkSync(join(nowhere, '0002.jpg'), join(files, 'Board', 'img', '00002.jpg'));
  const holes = await loadOtb('OTB100', files);
  assert.equal(holes.targets[0].images, undefined);
  assert.ok(
    holes.warnings.some((w) => /00002\.jpg: dangling symbolic link .* and 1 more dangling link\(s\)/.test(w)),
    holes.warnings.join('\n'),
  );
  assert.ok(
    holes.warnings.some((w) => /no image for 1 annotated frame\(s\) \(first: 2\)/.test(w)),
    holes.warnings.join('\n'),
  );

  // Toolkit anno files as links, one dangling; a dangling root is a one-line error naming it.
  const tk = tempDir(t, 'otb-ds-tk-');
  put(join(store, 'tk', 'basketball.txt'), rows(4));
  mkdirSync(join(tk, 'anno'));
  symlinkSync(join(store, 'tk', 'basketball.txt'), join(tk, 'anno', 'basketball.txt'));
  symlinkSync(join(nowhere, 'tiger1.txt'), join(tk, 'anno', 'tiger1.txt'));
  const viaTk = await loadOtb('OTB100', tk);
  assert.deepEqual(
    viaTk.targets.map((x) => x.name),
    ['Basketball'],
  );
  assert.ok(
    viaTk.warnings.some((w) => w.startsWith(`${join(tk, 'anno', 'tiger1.txt')}: dangling symbolic link`)),
    viaTk.warnings.join('\n'),
  );
  const gone = join(links, 'gone');
  symlinkSync(nowhere, gone);
  await assert.rejects(
    loadOtb('OTB100', gone),
    (err: Error) => err instanceof UserError && /gone: dangling symbolic link \(to .*nowhere\)$/.test(err.message),
  );
});
