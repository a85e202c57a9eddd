import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OtbEvaluation, OtbScores } from '../src/benchmarks/otb/metrics/types.ts';
import { compareTrackers, comparisonMarkdown } from '../src/benchmarks/otb/report/comparison.ts';
import { compareMetrics, metricsOf } from '../src/regress/metrics.ts';
import { ensureSynthetic } from '../src/synthetic/index.ts';
import { runCli } from './helpers/cli.ts';

function scores(auc: number, p20: number): OtbScores {
  return {
    successCurve: [],
    precisionCurve: [],
    normPrecisionCurve: [],
    successAuc: auc,
    precision20: p20,
    normPrecision20: p20 / 2,
    op50: auc,
    op75: auc / 2,
    frames: 10,
  };
}

function evaluation(rows: [string, number, number][]): OtbEvaluation {
  return {
    kind: 'otb',
    dataset: 'synthetic',
    convention: 'otb',
    rules: [],
    trackers: rows.map(([tracker, auc, p20]) => ({
      tracker,
      overall: { ...scores(auc, p20), sequences: 2 },
      perSequence: [
        { ...scores(auc, p20), target: 'A', attributes: ['OCC'] },
        { ...scores(auc, p20), target: 'B', attributes: ['OCC'] },
      ],
      perAttribute: { OCC: { ...scores(auc - 0.1, p20 - 0.1), sequences: 2 } },
      warnings: [],
    })),
  };
}

test('comparison: ours minus baseline for every overall metric and the AUC / precision of each attribute', () => {
  const rows = compareTrackers(
    evaluation([
      ['siamfc', 0.5, 0.7],
      ['siamfc-gs', 0.55, 0.65],
    ]),
    'siamfc',
    'siamfc-gs',
  );
  const get = (scope: string, metric: string) => rows.find((r) => r.scope === scope && r.metric === metric)!;
  assert.equal(get('overall', 'success_auc').delta.toFixed(4), '0.0500');
  assert.equal(get('overall', 'precision_20').delta.toFixed(4), '-0.0500');
  assert.equal(get('overall', 'op75').delta.toFixed(4), '0.0250'); // 0.275 - 0.25
  assert.equal(get('OCC', 'success_auc').baseline.toFixed(2), '0.40');
  assert.equal(rows.length, 5 + 2);
  const md = comparisonMarkdown(rows, 'siamfc', 'siamfc-gs');
  assert.match(md, /\| overall \| success_auc \| 0\.500 \| 0\.550 \| \+0\.050 \|/);
  assert.match(md, /\| OCC \(2\) \| precision_20 \| 0\.600 \| 0\.550 \| -0\.050 \|/);
  assert.throws(() => compareTrackers(evaluation([['siamfc', 0.5, 0.7]]), 'siamfc', 'siamfc-gs'), /needs both/);
});

test('regression: a metric moving by more than the tolerance fails, within it passes, a missing one fails', () => {
  const base = metricsOf(evaluation([['a', 0.5, 0.7]]));
  const same = compareMetrics(base, metricsOf(evaluation([['a', 0.5, 0.7]])), 0.01);
  assert.equal(same.length, 4 * 5); // overall, one attribute, two sequences: 5 metrics each
  assert.ok(same.every((d) => d.ok && d.delta === 0));
  const moved = compareMetrics(base, metricsOf(evaluation([['a', 0.508, 0.7]])), 0.01);
  assert.ok(
    moved.every((d) => d.ok),
    'a change of 0.008 (op75 0.004) is within 0.01',
  );
  // precision 0.7 -> 0.67 (and normalised precision, half of it, 0.35 -> 0.335): both beyond 0.01 in every scope.
  const worse = compareMetrics(base, metricsOf(evaluation([['a', 0.5, 0.67]])), 0.01);
  const bad = worse
    .filter((d) => !d.ok)
    .map((d) => `${d.scope}/${d.metric}`)
    .sort();
  assert.deepEqual(
    bad,
    ['attribute:OCC', 'overall', 'sequence:A', 'sequence:B'].flatMap((s) => [`${s}/norm_precision_20`, `${s}/precision_20`]).sort(),
  );
  assert.equal(worse.find((d) => d.scope === 'overall' && d.metric === 'precision_20')!.delta.toFixed(2), '-0.03');
  const gone = compareMetrics(base, {}, 0.01);
  assert.ok(gone.every((d) => !d.ok && Number.isNaN(d.delta)));
});

const tmp = mkdtempSync(join(tmpdir(), 'reproduce-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('npm run reproduce on a small synthetic set: overlaid plots, per-attribute plots and the baseline-vs-ours table', async () => {
  const root = join(tmp, 'syn');
  await ensureSynthetic(root, { seed: 5, testSequences: 4, testFrames: 30, splits: ['test'] });
  const out = join(tmp, 'out');
  const r = runCli('reproduce', ['--root', root, '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /baseline \(logistic\) = siamfc, ours \(global similarity\) = siamfc-gs/);
  assert.match(r.stdout, /\| overall \| success_auc \| \d\.\d{3} \| \d\.\d{3} \| [+-]\d\.\d{3} \|/);
  for (const f of ['comparison.csv', 'comparison.md', 'comparison/success.png', 'comparison/precision.png', 'comparison/summary.csv']) {
    assert.ok(existsSync(join(out, f)), f);
  }
  const csv = readFileSync(join(out, 'comparison.csv'), 'utf8').trim().split('\n');
  assert.equal(csv[0], 'scope,metric,siamfc,siamfc-gs,delta,sequences');
  const summary = readFileSync(join(out, 'comparison', 'summary.csv'), 'utf8');
  for (const t of ['siamfc', 'siamfc-gs', 'static']) assert.match(summary, new RegExp(`^${t},`, 'm'));
  const bad = runCli('reproduce', ['--retrain', '--models', tmp]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^error: --retrain and --models exclude each other/);
});
