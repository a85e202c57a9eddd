/**
 * The OTB report on a hand-computed evaluation: two targets of 4 frames, tracker A perfect, tracker
 * Siam_B right only on frame 1 (which the otb convention replaces by the ground truth anyway).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import sharp from 'sharp';
import { type ToolkitBox, toolkitBox } from '../src/core/types.ts';
import { evaluateOtb, type EvalDataset, type EvalTrackerResults } from '../src/benchmarks/otb/eval/evaluate.ts';
import { plotSpec } from '../src/benchmarks/otb/report/plots.ts';
import { formatOtbConsoleTable, writeOtbReport } from '../src/benchmarks/otb/report/report.ts';
import { tempDir } from './helpers/files.ts';

const gt = (f: number): ToolkitBox => toolkitBox([10 * f, 10, 20, 20]);
const DS: EvalDataset = {
  name: 'TEST',
  targets: [
    { name: 'S1', frames: [1, 2, 3, 4], groundTruth: [1, 2, 3, 4].map(gt), initOmit: 0, attributes: ['SV', 'IV'] },
    { name: 'S2', frames: [1, 2, 3, 4], groundTruth: [1, 2, 3, 4].map(gt), initOmit: 0, attributes: ['SV'] },
  ],
};

function tracker(name: string, box: (f: number) => ToolkitBox, times?: number[]): EvalTrackerResults {
  const seq = () => ({ boxes: [1, 2, 3, 4].map(box), defects: [], ...(times ? { times } : {}) });
  return {
    tracker: name,
    sequences: new Map([
      ['S1', seq()],
      ['S2', seq()],
    ]),
    missing: [],
    warnings: [],
  };
}

// A: perfect, 0.1 s per frame. Siam_B: 500 px off from frame 2 on (IoU 0, far beyond 50 px).
const EV = evaluateOtb(
  DS,
  [tracker('Siam_B', (f) => (f === 1 ? gt(1) : toolkitBox([500, 500, 20, 20]))), tracker('A', gt, [0.1, 0.1, 0.1, 0.1])],
  'otb',
);

const csv = (file: string) => readFileSync(file, 'utf8').trim().split('\n');

test('writeOtbReport writes the tables, the LaTeX table, the rules and the plots, atomically', async (t) => {
  const out = tempDir(t, 'otb-report-');
  const written = await writeOtbReport(out, EV);
  assert.deepEqual(
    written.map((p) => relative(out, p)).sort(),
    [
      'attributes/precision_SV.png',
      'attributes/success_SV.png',
      'per_attribute.csv',
      'per_sequence.csv',
      'precision.png',
      'rules.txt',
      'success.png',
      'summary.csv',
      'summary.json',
      'summary.tex',
    ],
    'IV has one sequence: no IV plots or rows, as the toolkit skips it',
  );
  assert.ok(!readdirSync(out).some((f) => f.endsWith('.tmp')));

  // AUC of a perfect result = 20/21 (IoU 1 fails only t = 1); Siam_B succeeds on 1 frame of 4.
  assert.deepEqual(csv(join(out, 'summary.csv')), [
    'tracker,success_auc,precision_20,norm_precision_20,op50,op75,sequences,frames,fps,dataset,convention',
    'A,0.952381,1.000000,1.000000,1.000000,1.000000,2,8,10.00,TEST,otb',
    'Siam_B,0.238095,0.250000,0.250000,0.250000,0.250000,2,8,,TEST,otb',
  ]);
  const seq = csv(join(out, 'per_sequence.csv'));
  assert.equal(seq[0], 'tracker,target,attributes,success_auc,precision_20,norm_precision_20,op50,op75,frames,fps,convention');
  assert.equal(seq[1], 'A,S1,SV IV,0.952381,1.000000,1.000000,1.000000,1.000000,4,10.00,otb');
  assert.equal(seq.length, 5);
  assert.deepEqual(csv(join(out, 'per_attribute.csv')).slice(1), [
    'A,SV,Scale Variation,2,0.952381,1.000000,1.000000,1.000000,1.000000,8,otb',
    'Siam_B,SV,Scale Variation,2,0.238095,0.250000,0.250000,0.250000,0.250000,8,otb',
  ]);

  const json = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  assert.equal(json.convention, 'otb');
  assert.deepEqual(json.rules, EV.rules);
  assert.deepEqual(
    json.trackers.map((x: { tracker: string }) => x.tracker),
    ['A', 'Siam_B'],
  );
  assert.equal(json.trackers[1].overall.success_curve.length, 21);
  assert.equal(json.trackers[1].overall.success_curve[0], 0.25);
  assert.equal(json.trackers[1].overall.precision_curve.length, 51);

  const tex = readFileSync(join(out, 'summary.tex'), 'utf8');
  assert.match(tex, /^% TEST, convention otb\. Rules applied:/);
  assert.match(tex, /pixel-inclusive/);
  assert.match(tex, /^A & \\textbf\{0\.952\} & \\textbf\{1\.000\}/m);
  assert.match(tex, /^Siam\\_B & 0\.238 & 0\.250/m);
  assert.match(readFileSync(join(out, 'rules.txt'), 'utf8'), /convention otb \(OTB MATLAB toolkit/);

  for (const png of written.filter((p) => p.endsWith('.png'))) {
    const meta = await sharp(png).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 900, 600], png);
  }
});

test('plots: legend `Name [0.xxx]` sorted by score (AUC / precision at 20 px), titles name dataset and convention', () => {
  const s = plotSpec(EV, 'success');
  assert.deepEqual(
    s.series.map((x) => x.label),
    ['A [0.952]', 'Siam_B [0.238]'],
  );
  assert.equal(s.title, 'Success plots of OPE');
  assert.match(s.subtitle, /^TEST, convention otb; legend: AUC$/);
  assert.deepEqual(s.series[0].points.slice(-2), [
    { x: 0.95, y: 1 },
    { x: 1, y: 0 },
  ]);
  const p = plotSpec(EV, 'precision', 'SV');
  assert.deepEqual(
    p.series.map((x) => x.label),
    ['A [1.000]', 'Siam_B [0.250]'],
  );
  assert.equal(p.title, 'Precision plots of OPE - Scale Variation (2)');
  assert.equal(p.series[1].points[50].x, 50);
});

test('plots draw the best 10 trackers, as the toolkit does, and say so', () => {
  const many = Array.from({ length: 12 }, (_, i) => tracker(`T${i}`, (f) => toolkitBox([10 * f + 2 * i, 10, 20, 20])));
  const spec = plotSpec(evaluateOtb(DS, many, 'otb'), 'success');
  assert.equal(spec.series.length, 10);
  assert.equal(spec.total, 12);
  assert.match(spec.subtitle, /top 10 of 12 trackers/);
  assert.deepEqual(
    spec.series.map((x) => x.tracker),
    ['T0', 'T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T9'],
  );
  assert.deepEqual(
    spec.series.map((x) => x.index),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    'ten distinct colours',
  );
});

test('console table: best first, 4 decimals, dataset and convention in the heading', () => {
  const lines = formatOtbConsoleTable(EV).trimEnd().split('\n');
  assert.match(lines[0], /^TEST, convention otb/);
  assert.match(lines[1], /^tracker\s+success_auc\s+precision_20\s+norm_prec_20\s+op50\s+op75\s+seqs\s+frames\s+fps$/);
  assert.match(lines[2], /^A\s+0\.9524\s+1\.0000\s+1\.0000\s+1\.0000\s+1\.0000\s+2\s+8\s+10\.0$/);
  assert.match(lines[3], /^Siam_B\s+0\.2381\s+0\.2500\s+0\.2500\s+0\.2500\s+0\.2500\s+2\s+8\s+-$/);
});
