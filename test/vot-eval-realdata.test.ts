import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseGroundtruth } from '../src/benchmarks/vot/dataset/region-text.ts';
import { loadVot } from '../src/benchmarks/vot/dataset/index.ts';
import { evaluateVot } from '../src/benchmarks/vot/eval/evaluate.ts';
import { regionBox, votOverlap } from '../src/benchmarks/vot/metrics/overlap.ts';
import { importVotResults } from '../src/benchmarks/vot/results/index.ts';
import { assertOneLineError, runCli } from './helpers/cli.ts';
import { real, SKIP_REALDATA } from './helpers/realdata.ts';

const JSON_ROOT = () => real('vot', 'VOT2019.json');
const RESULTS = () => real('results', 'VOT2019');

test(
  'Ocean_VOT2019_0.323 scores EAO 0.323 under pysot rules (no image bounds); the other sets score too',
  { skip: SKIP_REALDATA },
  async () => {
    const ds = await loadVot('VOT2019', JSON_ROOT());
    assert.equal(ds.sequences.length, 60);
    assert.ok(
      ds.warnings.some((w) => w.startsWith('graduate/camera_motion: 768 of 844')),
      'short tag arrays are reported',
    );
    const results = await importVotResults(RESULTS(), ds);
    assert.deepEqual(
      results.map((r) => r.tracker),
      ['Ocean', 'Ocean-online', 'Ocean_VOT2019_0.323'],
    );
    for (const convention of ['pysot', 'legacy'] as const) {
      const t0 = performance.now();
      const ev = evaluateVot(ds, results, convention);
      process.stdout.write(
        `VOT2019 ${convention}: 3 result sets scored in ${(performance.now() - t0).toFixed(0)} ms: ` +
          `${ev.trackers.map((t) => `${t.tracker} EAO ${t.eao.toFixed(3)} A ${t.accuracy.toFixed(3)} R ${t.robustness.toFixed(3)}`).join('; ')}\n`,
      );
      for (const t of ev.trackers) {
        assert.equal(t.sequences, 60);
        assert.equal(t.frames, 19935);
        assert.ok(t.eao > 0.2 && t.eao < 0.4 && t.accuracy > 0.5 && t.accuracy < 0.7, `${t.tracker} ${t.eao} ${t.accuracy}`);
        assert.equal(t.tags.length, 6);
      }
      const ocean = ev.trackers.find((t) => t.tracker === 'Ocean_VOT2019_0.323')!;
      assert.equal(ocean.failures, 80); // the count of `2` lines in its files
      if (convention === 'pysot') assert.equal(ocean.eao.toFixed(3), '0.323');
      // fish1 in the two other sets holds 436 lines for 366 frames: reported, cut to the sequence.
      for (const name of ['Ocean', 'Ocean-online']) {
        assert.ok(
          ev.trackers.find((t) => t.tracker === name)!.warnings.some((w) => w.startsWith('baseline/fish1: repetition 1 has 436 lines')),
        );
      }
    }
  },
);

test('bag polygons against their own bounding rectangles: close to the area ratio, worked out by hand', { skip: SKIP_REALDATA }, () => {
  const gt = parseGroundtruth(readFileSync(real('vot', 'bag-groundtruth.txt'), 'utf8'), 'bag-groundtruth.txt');
  assert.equal(gt.length, 196);
  // Shoelace area / bounding-box area of frames 1, 2, 3, 101, 196 (rotated rectangles):
  // frame 1: 10030.34 / (145.96 x 132.47 = 19335.32) = 0.5188; frame 2: 9692.52 / 20046.97 = 0.4835;
  // frame 3: 9120.10 / 19694.56 = 0.4631; frame 101: 4415.85 / 8146.72 = 0.5420; frame 196: 22744.64 / 32371.23 = 0.7026.
  const byHand: [number, number][] = [
    [1, 0.5188],
    [2, 0.4835],
    [3, 0.4631],
    [101, 0.542],
    [196, 0.7026],
  ];
  for (const [frame, ratio] of byHand) {
    const poly = gt[frame - 1];
    const box = regionBox(poly);
    for (const mode of ['legacy', 'rounded'] as const) {
      const o = votOverlap(poly, box, undefined, mode);
      // A polygon inside its box: overlap = pixels of the polygon / pixels of the box, which the
      // scanline keeps within about one pixel per row of the analytic ratio.
      assert.ok(Math.abs(o - ratio) < 0.02, `frame ${frame} ${mode}: ${o} vs ${ratio}`);
      assert.equal(votOverlap(poly, poly, undefined, mode), 1);
    }
  }
});

const runEval = (args: string[]) => runCli('eval', args);

const oneLineError = assertOneLineError;

test('eval --dataset VOT2019 --convention pysot writes the report and prints the rules', { skip: SKIP_REALDATA }, () => {
  const out = mkdtempSync(join(tmpdir(), 'vot-eval-cli-'));
  try {
    const r = runEval([
      '--dataset',
      'VOT2019',
      '--root',
      JSON_ROOT(),
      '--results',
      RESULTS(),
      '--trackers',
      'Ocean_VOT2019_0.323',
      '--out',
      out,
      '--convention',
      'pysot',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Ocean_VOT2019_0\.323\s+0\.323/);
    assert.match(r.stdout, /Rules \(convention pysot\)/);
    assert.match(r.stdout, /L in \[46, 291\]/);
    const csv = readFileSync(join(out, 'summary.csv'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    for (const col of ['tracker', 'eao', 'accuracy', 'robustness', 'failures', 'frames']) assert.ok(csv[0].includes(col), col);
    const row = Object.fromEntries(csv[0].map((c, i) => [c, csv[1][i]]));
    assert.deepEqual(
      [row.tracker, Number(row.eao).toFixed(3), row.failures, row.frames],
      ['Ocean_VOT2019_0.323', '0.323', '80.000', '19935'],
    );
    assert.equal(Number(row.robustness).toFixed(3), (8000 / 19935).toFixed(3));
    for (const f of ['tags.csv', 'sequences.csv', 'eao_curve.csv', 'eao_curve.png', 'ar_plot.png', 'rules.txt', 'warnings.txt']) {
      assert.ok(existsSync(join(out, f)), f);
    }
    const tags = readFileSync(join(out, 'tags.csv'), 'utf8').trim().split('\n');
    assert.equal(tags.length, 7); // header + 6 tags
    assert.equal(readFileSync(join(out, 'eao_curve.png')).subarray(1, 4).toString(), 'PNG');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('VOT eval input errors are one line on stderr with a non-zero exit', { skip: SKIP_REALDATA }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'vot-eval-bad-'));
  try {
    const base = ['--root', JSON_ROOT(), '--out', join(tmp, 'out')];
    oneLineError(
      runEval(['--dataset', 'VOT2019', ...base, '--results', RESULTS(), '--convention', 'otb']),
      /--convention: unknown convention 'otb' for VOT \(expected legacy, pysot\)/,
    );
    oneLineError(
      runEval(['--dataset', 'VOT2021', ...base, '--results', RESULTS()]),
      /--root: .* is not a VOT2020\+ folder \(no list\.txt\)/,
    );
    oneLineError(
      runEval(['--dataset', 'VOT2019', '--root', join(tmp, 'nope'), '--results', RESULTS(), '--out', tmp]),
      /--root: no such file or directory/,
    );
    mkdirSync(join(tmp, 'empty'));
    oneLineError(runEval(['--dataset', 'VOT2019', ...base, '--results', join(tmp, 'empty')]), /--results: no tracker folders/);
    // A real result set with one line broken: the error names the file and the line.
    const broken = join(tmp, 'broken');
    cpSync(join(RESULTS(), 'Ocean'), join(broken, 'Ocean'), { recursive: true });
    const file = join(broken, 'Ocean', 'baseline', 'agility', 'agility_001.txt');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[4] = '3';
    writeFileSync(file, lines.join('\n'));
    oneLineError(runEval(['--dataset', 'VOT2019', ...base, '--results', broken]), new RegExp(`agility_001\\.txt:5: unknown code 3`));
    lines[4] = '1,2,3,4,5';
    writeFileSync(file, lines.join('\n'));
    oneLineError(runEval(['--dataset', 'VOT2019', ...base, '--results', broken]), /agility_001\.txt:5: 5 values/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
