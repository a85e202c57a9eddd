/**
 * The eval CLI on the `synthetic` dataset: a tiny raw-layout benchmark made here, in the layout the
 * synthetic generator writes (<Seq>/groundtruth_rect.txt, attrs.txt), with hand-computed scores.
 */
import { runCli } from './helpers/cli.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { put } from './helpers/files.ts';

const runEval = (args: string[]) => runCli('eval', args);

const gt = (f: number) => [10 * f, 10, 20, 20];
const lines = (boxes: number[][]) => boxes.map((b) => b.join(',')).join('\n') + '\n';

test('eval --dataset synthetic scores every sequence folder of a raw-layout root', (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'eval-synth-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const root = join(tmp, 'bench');
  const results = join(tmp, 'results');
  for (const seq of ['SeqA', 'SeqB']) {
    put(join(root, seq, 'groundtruth_rect.txt'), lines([1, 2, 3, 4].map(gt)));
    put(join(root, seq, 'attrs.txt'), seq === 'SeqA' ? 'SV, DEF, FM\n' : 'SV\n');
    put(join(results, 'perfect', `${seq}.txt`), lines([1, 2, 3, 4].map(gt)));
    put(join(results, 'perfect', 'times', `${seq}_time.txt`), '0.05\n0.05\n0.05\n0.05\n');
    // Lost after frame 1: only frame 1 (replaced by the ground truth under otb) succeeds.
    put(join(results, 'lost', `${seq}.txt`), lines([gt(1), [400, 400, 20, 20], [400, 400, 20, 20], [400, 400, 20, 20]]));
  }
  const out = join(tmp, 'out');
  const r = runEval(['--dataset', 'synthetic', '--root', root, '--results', results, '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^synthetic, convention otb/m);
  const csv = readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n');
  assert.deepEqual(csv, [
    'tracker,success_auc,precision_20,norm_precision_20,op50,op75,sequences,frames,fps,dataset,convention',
    'perfect,0.952381,1.000000,1.000000,1.000000,1.000000,2,8,20.00,synthetic,otb',
    'lost,0.238095,0.250000,0.250000,0.250000,0.250000,2,8,,synthetic,otb',
  ]);
  // SV is carried by both sequences, DEF and FM by one only: the toolkit reports SV alone.
  const attrs = readFileSync(join(out, 'per_attribute.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').slice(0, 4).join(','));
  assert.deepEqual(attrs, ['perfect,SV,Scale Variation,2', 'lost,SV,Scale Variation,2']);
  assert.match(readFileSync(join(out, 'warnings.txt'), 'utf8'), /^# synthetic, convention otb/);
});

test('eval --dataset synthetic through symbolic links: linked root, sequence folders and tracker folders score as the real ones', (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'eval-synth-links-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const store = join(tmp, 'store');
  for (const seq of ['SeqA', 'SeqB']) {
    put(join(store, 'bench', seq, 'groundtruth_rect.txt'), lines([1, 2, 3, 4].map(gt)));
    put(join(store, 'perfect', `${seq}.txt`), lines([1, 2, 3, 4].map(gt)));
  }
  // A root of linked sequence folders, itself reached through a link; a results folder of linked trackers.
  mkdirSync(join(tmp, 'root'));
  for (const seq of ['SeqA', 'SeqB']) symlinkSync(join(store, 'bench', seq), join(tmp, 'root', seq));
  symlinkSync(join(tmp, 'root'), join(tmp, 'root-link'));
  mkdirSync(join(tmp, 'results'));
  symlinkSync(join(store, 'perfect'), join(tmp, 'results', 'perfect'));
  symlinkSync(join(store, 'nowhere'), join(tmp, 'results', 'gone'));
  // A real tracker folder of linked result files: they counted as missing (issue 12).
  mkdirSync(join(tmp, 'results', 'linkedfiles'));
  for (const seq of ['SeqA', 'SeqB']) symlinkSync(join(store, 'perfect', `${seq}.txt`), join(tmp, 'results', 'linkedfiles', `${seq}.txt`));
  const out = join(tmp, 'out');
  const r = runEval(['--dataset', 'synthetic', '--root', join(tmp, 'root-link'), '--results', join(tmp, 'results'), '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const rows = readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n').slice(1).sort();
  assert.deepEqual(rows, [
    'linkedfiles,0.952381,1.000000,1.000000,1.000000,1.000000,2,8,synthetic,otb',
    'perfect,0.952381,1.000000,1.000000,1.000000,1.000000,2,8,synthetic,otb',
  ]);
  assert.match(
    readFileSync(join(out, 'warnings.txt'), 'utf8'),
    /results\/gone: dangling symbolic link \(to .*nowhere\); not a tracker folder, skipped/,
  );
});

test('eval --dataset synthetic: malformed ground truth and unknown names are one-line errors', (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'eval-synth-bad-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const file = join(tmp, 'bench', 'SeqA', 'groundtruth_rect.txt');
  put(file, '1,2,3,4\n5;6;7\n');
  put(join(tmp, 'results', 'A', 'SeqA.txt'), '1,2,3,4\n');
  const base = ['--root', join(tmp, 'bench'), '--results', join(tmp, 'results'), '--out', join(tmp, 'out')];
  for (const [args, re] of [
    [['--dataset', 'synthetic', ...base], new RegExp(`^error: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2: expected 4 values`)],
    [['--dataset', 'OTB99', ...base], /^error: --dataset: unknown dataset 'OTB99'/],
  ] as const) {
    const r = runEval([...args]);
    assert.notEqual(r.code, 0);
    const err = r.stderr.trimEnd().split('\n');
    assert.equal(err.length, 1, r.stderr);
    assert.match(err[0], re);
  }
});

test('eval takes the generated benchmark folder as bench does (docs/scoring.md: --root data/synthetic), for synthetic and synthetic-vot', async (t) => {
  const { ensureSynthetic } = await import('../src/synthetic/index.ts');
  const tmp = mkdtempSync(join(tmpdir(), 'eval-synth-root-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const data = join(tmp, 'synthetic');
  await ensureSynthetic(data, { seed: 5, testSequences: 2, testFrames: 30, splits: ['test'] });
  const results = join(tmp, 'raw');
  const vot = join(tmp, 'vot-raw');
  for (const seq of ['Synth001', 'Synth002']) {
    // The ground truth as a tracker's output: every score 1, the AUC 20/21 (no IoU exceeds the threshold 1).
    put(join(results, 'copy', `${seq}.txt`), readFileSync(join(data, 'otb', seq, 'groundtruth_rect.txt'), 'utf8'));
    const regions = readFileSync(join(data, 'vot', seq, 'groundtruth.txt'), 'utf8')
      .trim()
      .split('\n');
    put(join(vot, 'copy', 'baseline', seq, `${seq}_001.txt`), ['1', ...regions.slice(1)].join('\n') + '\n');
  }
  const otb = runEval(['--dataset', 'synthetic', '--root', data, '--results', results, '--out', join(tmp, 'out')]);
  assert.equal(otb.code, 0, otb.stderr);
  assert.match(readFileSync(join(tmp, 'out', 'summary.csv'), 'utf8'), /^copy,0\.952381,1\.000000,1\.000000,1\.000000,1\.000000,2,60,/m);
  // The layout folder itself is still a root.
  const inner = runEval(['--dataset', 'synthetic', '--root', join(data, 'otb'), '--results', results, '--out', join(tmp, 'out2')]);
  assert.equal(inner.code, 0, inner.stderr);
  const v = runEval(['--dataset', 'synthetic-vot', '--root', data, '--results', vot, '--out', join(tmp, 'out-vot')]);
  assert.equal(v.code, 0, v.stderr);
  assert.match(readFileSync(join(tmp, 'out-vot', 'summary.csv'), 'utf8'), /^copy,/m);
});
