/**
 * The result importer on small hand-made folders: each published form (got10k, pysot, pytracking,
 * toolkit text, jwlim JSON, cfnet's ope_meta.json) and each defect, which must show up in warnings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../src/core/errors.ts';
import { type ToolkitBox, toolkitBox } from '../src/core/types.ts';
import type { OtbDataset } from '../src/benchmarks/otb/dataset/types.ts';
import { evaluateOtb } from '../src/benchmarks/otb/eval/evaluate.ts';
import { importOtbResults } from '../src/benchmarks/otb/results/index.ts';
import { put, tempDir } from './helpers/files.ts';

/** Ground truth of frame f: a 20x20 box at (10f, 10). */
const gt = (f: number): ToolkitBox => toolkitBox([10 * f, 10, 20, 20]);
const frames = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

function dataset(): OtbDataset {
  const target = (name: string, sequence: string, fr: number[], initOmit = 0) => ({
    name,
    sequence,
    frames: fr,
    groundTruth: fr.map(gt),
    initOmit,
    attributes: ['SV'],
  });
  return {
    name: 'OTB100',
    root: '/nowhere',
    warnings: [],
    targets: [
      target('Basketball', 'Basketball', frames(1, 4)),
      target('Jogging-1', 'Jogging', frames(1, 4)),
      target('Human4-2', 'Human4', frames(1, 4)),
      target('Tiger1', 'Tiger1', frames(1, 8), 5), // toolkit rows: images 1..8, one-pass from 6
    ],
  };
}

/** Rows of a result file that tracks perfectly over images a..b. */
const perfect = (a: number, b: number, fmt: (v: number) => string = String, sep = ',') =>
  frames(a, b)
    .map((f) => gt(f).map(fmt).join(sep))
    .join('\n') + '\n';

test('got10k, pysot, pytracking and toolkit text forms, every name spelling, times files', async (t) => {
  const dir = tempDir(t, 'otb-res-');
  put(
    join(dir, 'kcf', 'Basketball.txt'),
    perfect(1, 4, (v) => v.toFixed(3)),
  );
  put(
    join(dir, 'kcf', 'Jogging.1.txt'),
    perfect(1, 4, (v) => v.toFixed(3)),
  );
  put(
    join(dir, 'kcf', 'Human4.txt'),
    perfect(1, 4, (v) => v.toFixed(3)),
  );
  put(join(dir, 'kcf', 'times', 'Basketball_time.txt'), '0.01\n0.02\n0.01\n0.02\n');
  put(join(dir, 'SiamFC', 'basketball.txt'), perfect(1, 4));
  put(join(dir, 'SiamFC', 'jogging_1.txt'), perfect(1, 4));
  put(join(dir, 'SiamFC', 'human4_2.txt'), perfect(1, 4));
  put(join(dir, 'ATOM', 'Basketball.txt'), perfect(1, 4, String, '\t'));
  put(join(dir, 'ATOM', 'Basketball_time.txt'), '0.5\n0.25\n0.25\n0.25\n');
  put(join(dir, 'KCF', 'Basketball_KCF.txt'), perfect(1, 4).replace(/\n/g, '\r\n'));
  const ds = dataset();
  const res = await importOtbResults(dir, ds);
  assert.deepEqual(
    res.map((r) => r.tracker),
    ['ATOM', 'KCF', 'SiamFC', 'kcf'],
  );
  const by = (n: string) => res.find((r) => r.tracker === n)!;
  assert.deepEqual([...by('kcf').sequences.keys()], ['Basketball', 'Jogging-1', 'Human4-2']);
  assert.deepEqual([...by('SiamFC').sequences.keys()], ['Basketball', 'Jogging-1', 'Human4-2']);
  assert.deepEqual(by('kcf').sequences.get('Basketball')!.times, [0.01, 0.02, 0.01, 0.02]);
  assert.deepEqual(by('ATOM').sequences.get('Basketball')!.boxes, frames(1, 4).map(gt));
  assert.deepEqual(by('ATOM').sequences.get('Basketball')!.times, [0.5, 0.25, 0.25, 0.25]);
  assert.deepEqual(by('ATOM').warnings, [], 'a _time.txt beside the results is not an unknown file');
  assert.deepEqual(by('KCF').sequences.get('Basketball')!.boxes, frames(1, 4).map(gt));
  assert.deepEqual(by('kcf').missing, ['Tiger1']);
  for (const r of res) for (const s of r.sequences.values()) assert.deepEqual(s.defects, []);
  // Perfect boxes: AUC = 20/21 under otb (IoU 1 fails only the threshold 1); ATOM's speed = 4 frames / 1.25 s.
  const ev = evaluateOtb(ds, res, 'otb');
  for (const tr of ev.trackers) assert.equal(tr.overall.successAuc.toFixed(6), (20 / 21).toFixed(6), tr.tracker);
  assert.equal(ev.trackers.find((x) => x.tracker === 'ATOM')!.overall.fps, 3.2);
});

test('jwlim JSON records: start frame, recorded fps, several runs, non-rect results', async (t) => {
  const dir = tempDir(t, 'otb-res-');
  const rec = (res: ToolkitBox[], extra: object) =>
    JSON.stringify([{ tracker: 'STRUCK', res, evalType: 'OPE', resType: 'rect', ...extra }]);
  put(join(dir, 'STRUCK', 'BasketBall.json'), rec(frames(1, 4).map(gt), { startFrame: 1, endFrame: 4, fps: 20 }));
  put(join(dir, 'STRUCK', 'Tiger1.json'), rec(frames(6, 8).map(gt), { startFrame: 6, endFrame: 8 }));
  put(
    join(dir, 'STRUCK', 'Jogging-1.json'),
    JSON.stringify([
      { res: frames(1, 4).map(gt), startFrame: 1, endFrame: 4, evalType: 'OPE' },
      { res: frames(2, 4).map(gt), startFrame: 2, endFrame: 4, evalType: 'TRE' },
    ]),
  );
  put(join(dir, 'STRUCK', 'Human4-2.json'), rec([[1, 2, 3, 4, 5, 6] as unknown as ToolkitBox], { resType: 'ivtAff' }));
  const ds = dataset();
  const [r] = await importOtbResults(dir, ds);
  const bb = r.sequences.get('Basketball')!;
  assert.equal(bb.startFrame, undefined, 'startFrame 1 is not trusted as an image number');
  assert.deepEqual(bb.times, [0.05, 0.05, 0.05, 0.05]);
  assert.equal(r.sequences.get('Tiger1')!.startFrame, 6);
  assert.match(r.sequences.get('Jogging-1')!.defects.join('\n'), /2 runs in the file \(OPE run used\)/);
  assert.ok(
    r.warnings.some((w) => /Human4-2\.json: resType 'ivtAff'.*file skipped/.test(w)),
    r.warnings.join('\n'),
  );
  assert.ok(r.missing.includes('Human4-2'));
  const ev = evaluateOtb(ds, [r], 'otb').trackers[0];
  const tiger = ev.perSequence.find((s) => s.target === 'Tiger1')!;
  assert.equal(tiger.frames, 3);
  assert.equal(tiger.successAuc.toFixed(6), (20 / 21).toFixed(6), 'row 1 is image 6: a perfect result');
});

test("ope_meta.json gives each file's start frame (Tiger1 from 6) and row count", async (t) => {
  const dir = tempDir(t, 'otb-res-');
  put(
    join(dir, 'ope_meta.json'),
    JSON.stringify({
      'results_SiamFC-3s_OTB-100': { Tiger1: { startFrame: 6, annoBegin: 1, len: 3 }, Basketball: { startFrame: 1, annoBegin: 1, len: 5 } },
      'results_other_OTB-100': { Tiger1: { startFrame: 2, len: 7 } },
    }),
  );
  // Three rows of a perfect Tiger1 from image 6, but shifted to image 1 they would be far off.
  put(join(dir, 'SiamFC-3s', 'Tiger1.txt'), perfect(6, 8));
  put(join(dir, 'SiamFC-3s', 'Basketball.txt'), perfect(1, 4));
  const [r] = await importOtbResults(dir, dataset());
  assert.equal(r.sequences.get('Tiger1')!.startFrame, 6);
  assert.deepEqual(r.sequences.get('Tiger1')!.defects, []);
  assert.match(r.sequences.get('Basketball')!.defects.join('\n'), /ope_meta\.json says 5 rows, the file has 4/);
  // Through a link it reads the same; a dangling link is a one-line error (the start frames would be lost unflagged).
  const linked = tempDir(t, 'otb-res-meta-');
  symlinkSync(join(dir, 'SiamFC-3s'), join(linked, 'SiamFC-3s'));
  symlinkSync(join(dir, 'ope_meta.json'), join(linked, 'ope_meta.json'));
  assert.equal((await importOtbResults(linked, dataset()))[0].sequences.get('Tiger1')!.startFrame, 6);
  rmSync(join(linked, 'ope_meta.json'));
  symlinkSync(join(dir, 'nowhere.json'), join(linked, 'ope_meta.json'));
  await assert.rejects(
    importOtbResults(linked, dataset()),
    (err: Error) =>
      err instanceof UserError && /ope_meta\.json: dangling symbolic link .*start frames it records cannot be read$/.test(err.message),
  );
});

test('defects are reported, never silent: corners, NaN/non-positive boxes, short, unknown, .mat, malformed, duplicate, empty', async (t) => {
  const dir = tempDir(t, 'otb-res-');
  // SiamRPN: the first row as corners x1,y1,x2,y2 (0-based) of the initial box.
  put(join(dir, 'SiamRPN', 'Basketball.txt'), `9,9,29,29\n${perfect(2, 4)}`);
  put(join(dir, 'bad', 'Basketball.txt'), `${perfect(1, 2)}NaN,NaN,NaN,NaN\n40,10,0,20\n`);
  put(join(dir, 'bad', 'Jogging-1.txt'), perfect(1, 2));
  put(join(dir, 'bad', 'Tiger1.txt'), '60,10,20,20\n70,10,20\n');
  put(join(dir, 'bad', 'Human4-2.txt'), perfect(1, 4));
  put(join(dir, 'bad', 'human4_2.txt'), perfect(1, 4));
  put(join(dir, 'bad', 'Foo.txt'), perfect(1, 4));
  put(join(dir, 'bad', 'Bolt.txt'), perfect(1, 4)); // an OTB target outside this dataset: not a defect
  put(join(dir, 'matbad', 'Tiger1_matbad.mat'), 'MATLAB 5.0');
  put(join(dir, 'bad', 'notes.md'), 'hello');
  put(join(dir, 'empty', 'Basketball.txt'), '');
  const ds = dataset();
  const res = await importOtbResults(dir, ds);
  const by = (n: string) => res.find((r) => r.tracker === n)!;
  assert.match(by('SiamRPN').sequences.get('Basketball')!.defects.join('\n'), /row 1 \(9,9,29,29\) looks like corners x1,y1,x2,y2/);
  const bad = by('bad');
  assert.match(
    bad.sequences.get('Basketball')!.defects.join('\n'),
    /2 row\(s\) with NaN, w <= 0 or h <= 0 \(first: row 3, NaN,NaN,NaN,NaN\)/,
  );
  const w = bad.warnings.join('\n');
  assert.match(w, /Tiger1\.txt:2: expected 4 values x,y,w,h, got 3.*file skipped, Tiger1 counts as having no result/);
  assert.match(w, /human4_2\.txt: a second file for Human4-2 \(after Human4-2\.txt\); ignored/);
  assert.match(w, /1 file\(s\) named after no OTB target, ignored: Foo\.txt/);
  assert.doesNotMatch(w, /Bolt/);
  // A .mat file is read like any result; one that is no MAT-file is named and skipped.
  assert.match(
    by('matbad').warnings.join('\n'),
    /Tiger1_matbad\.mat: not a MATLAB Level 5 MAT-file.*file skipped, Tiger1 counts as having no result/,
  );
  assert.match(w, /not results \(\.txt\/\.json\/\.mat\), ignored: notes\.md/);
  assert.deepEqual(bad.missing, ['Tiger1']);
  assert.match(by('empty').sequences.get('Basketball')!.defects.join('\n'), /empty file/);
  // Everything reaches the evaluation's warnings (and so warnings.txt), the short file included.
  const ev = evaluateOtb(ds, res, 'otb');
  const evBad = ev.trackers.find((x) => x.tracker === 'bad')!.warnings.join('\n');
  assert.match(evBad, /Jogging-1: result covers 2 of 4 frames/);
  assert.match(evBad, /Basketball: 2 row\(s\) with NaN/);
  assert.match(evBad, /Basketball: 2 prediction\(s\) with w <= 0, h <= 0 or NaN replaced by the previous box/);
  assert.match(ev.trackers.find((x) => x.tracker === 'SiamRPN')!.warnings.join('\n'), /Basketball: row 1 .* looks like corners/);
});

test('tracker selection, folders that are not trackers, and results folders with none', async (t) => {
  const dir = tempDir(t, 'otb-res-');
  put(join(dir, 'A', 'Basketball.txt'), perfect(1, 4));
  put(join(dir, 'B', 'Basketball.txt'), perfect(1, 4));
  put(join(dir, 'plots', 'success.png'), 'png');
  const ds = dataset();
  assert.deepEqual(
    (await importOtbResults(dir, ds, { trackers: ['b'] })).map((r) => r.tracker),
    ['B'],
  );
  assert.deepEqual(
    (await importOtbResults(dir, ds)).map((r) => r.tracker),
    ['A', 'B'],
  );
  assert.ok(
    ds.warnings.some((x) => /plots: no result file named after a target, not a tracker; skipped/.test(x)),
    ds.warnings.join('\n'),
  );
  await assert.rejects(importOtbResults(dir, ds, { trackers: ['C'] }), /no tracker folder 'C' \(found: A, B, plots\)/);

  const mats = join(dir, 'mats');
  put(join(mats, 'otb-toolkit-ope', 'notes_KCF.mat'), 'MATLAB 5.0');
  const none = join(dir, 'none');
  put(join(none, 'Basketball.txt'), perfect(1, 4)); // a tracker folder given as the results folder
  for (const [d, re] of [
    [mats, /no recognisable tracker results$/],
    [none, /no recognisable tracker results \(no tracker folders/],
    [join(dir, 'nope'), /results folder not found/],
  ] as const) {
    await assert.rejects(
      importOtbResults(d, ds),
      (err: Error) => err instanceof UserError && !err.message.includes('\n') && re.test(err.message),
    );
  }
});

test('symbolic links: linked tracker folders, result files and times count as real ones; dangling links are named, never dropped in silence', async (t) => {
  const store = tempDir(t, 'otb-res-store-');
  put(join(store, 'A', 'Basketball.txt'), perfect(1, 4));
  put(join(store, 'A', 'times', 'Basketball_time.txt'), '0.5\n0.5\n0.5\n0.5\n');
  put(join(store, 'files', 'jogging_1.txt'), perfect(1, 4));
  put(join(store, 'files', 'Basketball_time.txt'), '0.25\n0.25\n0.25\n0.25\n');
  const dir = tempDir(t, 'otb-res-links-');
  const nowhere = join(store, 'nowhere');
  symlinkSync(join(store, 'A'), join(dir, 'A')); // a linked tracker folder
  mkdirSync(join(dir, 'B'));
  symlinkSync(join(store, 'files', 'jogging_1.txt'), join(dir, 'B', 'jogging_1.txt')); // linked result files
  symlinkSync(join(store, 'A', 'Basketball.txt'), join(dir, 'B', 'Basketball.txt'));
  symlinkSync(join(store, 'files', 'Basketball_time.txt'), join(dir, 'B', 'Basketball_time.txt'));
  symlinkSync(join(nowhere, 'Tiger1.txt'), join(dir, 'B', 'Tiger1.txt'));
  symlinkSync(join(nowhere, 'C'), join(dir, 'C'));
  const ds = dataset();
  const res = await importOtbResults(dir, ds);
  assert.deepEqual(
    res.map((r) => r.tracker),
    ['A', 'B'],
  );
  const [a, b] = res;
  assert.deepEqual([...a.sequences.keys()], ['Basketball']);
  assert.deepEqual(a.sequences.get('Basketball')!.times, [0.5, 0.5, 0.5, 0.5]);
  assert.deepEqual([...b.sequences.keys()], ['Basketball', 'Jogging-1']);
  assert.deepEqual(b.sequences.get('Jogging-1')!.boxes, frames(1, 4).map(gt));
  assert.deepEqual(b.sequences.get('Basketball')!.times, [0.25, 0.25, 0.25, 0.25]);
  assert.deepEqual(b.missing, ['Human4-2', 'Tiger1']);
  assert.deepEqual(b.warnings, [
    `${join(dir, 'B', 'Tiger1.txt')}: dangling symbolic link (to ${join(nowhere, 'Tiger1.txt')}); Tiger1 counts as having no result`,
  ]);
  assert.ok(
    ds.warnings.includes(`results: ${join(dir, 'C')}: dangling symbolic link (to ${join(nowhere, 'C')}); not a tracker folder, skipped`),
    ds.warnings.join('\n'),
  );
  // Named with --trackers, a dangling folder is a one-line error; a linked results folder works as a real one.
  await assert.rejects(
    importOtbResults(dir, dataset(), { trackers: ['c'] }),
    (err: Error) => err instanceof UserError && /^--trackers: c: .*C: dangling symbolic link/.test(err.message),
  );
  const link = join(store, 'results-link');
  symlinkSync(dir, link);
  assert.deepEqual((await importOtbResults(link, dataset(), { trackers: ['b'] }))[0].sequences.size, 2);
  // A folder whose only entries are dangling links still says so.
  const onlyDangling = tempDir(t, 'otb-res-dangling-');
  mkdirSync(join(onlyDangling, 'T'));
  symlinkSync(join(nowhere, 'Basketball.txt'), join(onlyDangling, 'T', 'Basketball.txt'));
  const [tr] = await importOtbResults(onlyDangling, dataset());
  assert.equal(tr.sequences.size, 0);
  assert.match(tr.warnings[0], /Basketball\.txt: dangling symbolic link .*Basketball counts as having no result/);
});

test("SiamRPN's corner first row on several targets is one warning naming them all, not one line each (issue 25.7)", async (t) => {
  const dir = tempDir(t, 'otb-res-corners-');
  // Row 1 as 0-based corners of the initial box (x-1, y-1, x-1+w, y-1+h), the rest as x,y,w,h.
  const corners = (f: number) => {
    const [x, y, w, h] = gt(f);
    return `${x - 1},${y - 1},${x - 1 + w},${y - 1 + h}\n`;
  };
  for (const name of ['Basketball', 'Jogging-1', 'Human4-2']) put(join(dir, 'SiamRPN', `${name}.txt`), `${corners(1)}${perfect(2, 4)}`);
  put(join(dir, 'One', 'Basketball.txt'), `${corners(1)}${perfect(2, 4)}`);
  const ev = evaluateOtb(dataset(), await importOtbResults(dir, dataset()), 'otb');
  const lines = ev.trackers.find((x) => x.tracker === 'SiamRPN')!.warnings.filter((w) => /corners/.test(w));
  const [x, y, w, h] = gt(1);
  assert.deepEqual(lines, [
    `3 targets: row 1 looks like corners x1,y1,x2,y2, not x,y,w,h (first: Basketball, ${[x - 1, y - 1, x - 1 + w, y - 1 + h].join(',')}): ` +
      'otb and got10k replace frame 1 by the ground truth, pysot scores it as written; targets: Basketball, Jogging-1, Human4-2',
  ]);
  // A single target keeps its own line.
  const one = ev.trackers.find((x) => x.tracker === 'One')!.warnings.filter((w) => /corners/.test(w));
  assert.equal(one.length, 1);
  assert.match(one[0], /^Basketball: row 1 \(.*\) looks like corners/);
});
