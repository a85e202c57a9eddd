/**
 * `eval --baseline`: per tracker the AUC difference from a baseline with its paired bootstrap
 * interval and sign-flip p, Holm-adjusted; checked by hand on small cases (exact sign-flip
 * enumeration) and end to end on the published OTB-toolkit results.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { holmAdjust } from '../src/core/stats.ts';
import { compareWithBaseline } from '../src/benchmarks/otb/eval/baseline.ts';
import type { OtbEvaluation, OtbTrackerEvaluation } from '../src/benchmarks/otb/metrics/types.ts';
import { csvRows, tempDir } from './helpers/files.ts';
import { runCli } from './helpers/cli.ts';
import { real, SKIP_REALDATA } from './helpers/realdata.ts';

function tracker(name: string, aucs: number[]): OtbTrackerEvaluation {
  const perSequence = aucs.map(
    (a, i) => ({ target: `S${i}`, attributes: [], successAuc: a }) as unknown as OtbTrackerEvaluation['perSequence'][number],
  );
  return { tracker: name, overall: {} as OtbTrackerEvaluation['overall'], perSequence, perAttribute: {}, warnings: [] };
}

test('Holm: the k-th smallest p times (m - k), non-decreasing, capped at 1, in the input order', () => {
  assert.deepEqual(holmAdjust([0.01, 0.04, 0.03]), [0.03, 0.06, 0.06]);
  assert.deepEqual(holmAdjust([0.5, 0.6]), [1, 1]);
  assert.deepEqual(holmAdjust([]), []);
});

test('differences, exact sign-flip p-values and Holm by hand on four sequences', () => {
  const ev = {
    trackers: [
      tracker('B', [0.5, 0.5, 0.5, 0.5]),
      tracker('A', [0.6, 0.7, 0.6, 0.7]),
      tracker('C', [0.5, 0.5, 0.5, 0.6]),
      tracker('D', [0.5, 0.6]),
    ],
  } as OtbEvaluation;
  const rows = Object.fromEntries(compareWithBaseline(ev, 'b').map((r) => [r.tracker, r]));
  // A: every difference positive, so only the all-plus and all-minus flips reach |sum| 0.6: p = 2/16.
  assert.ok(Math.abs(rows.A.deltaAuc - 0.15) < 1e-12);
  assert.equal(rows.A.p, 2 / 16);
  assert.ok(rows.A.exact);
  assert.ok(rows.A.ciLow >= 0.1 - 1e-12 && rows.A.ciHigh <= 0.2 + 1e-12 && rows.A.ciLow < rows.A.ciHigh);
  // C: one non-zero difference; every flip reaches |sum| 0.1: p = 1.
  assert.equal(rows.C.p, 1);
  // D was scored on two sequences only: just those are paired (differences 0 and 0.1).
  assert.equal(rows.D.sequences, 2);
  assert.ok(Math.abs(rows.D.deltaAuc - 0.05) < 1e-12);
  assert.equal(rows.D.p, 1);
  // Holm over the three: 0.125 * 3, then max(0.375, 1 * 2 capped) = 1.
  assert.equal(rows.A.pHolm, 0.375);
  assert.equal(rows.C.pHolm, 1);
  assert.equal(rows.B, undefined);
  assert.throws(() => compareWithBaseline(ev, 'Z'), /--baseline: no tracker 'Z' was scored \(trackers: B, A, C, D\)/);
});

test('eval --baseline KCF on the OTB-toolkit results: a summary column, baseline.csv and the forest plot', { skip: SKIP_REALDATA }, (t) => {
  const out = join(tempDir(t, 'baseline-'), 'r');
  const args = ['--dataset', 'OTB100', '--root', real('otb', 'OTB100.json'), '--results', real('results', 'OTB100', 'otb-toolkit')];
  const r = runCli('eval', [...args, '--trackers', 'KCF,DSST,MDNet', '--baseline', 'KCF', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const summary = Object.fromEntries(csvRows(join(out, 'summary.csv')).map((x) => [x.tracker, x]));
  assert.equal(summary.KCF.delta_auc_vs_baseline, 'baseline');
  // The mean per-sequence difference is the difference of the two AUCs (both means over the same 100 sequences).
  const diff = Number(summary.MDNet.success_auc) - Number(summary.KCF.success_auc);
  assert.ok(Math.abs(Number(summary.MDNet.delta_auc_vs_baseline) - diff) < 2e-6);
  assert.ok(Number(summary.MDNet.delta_ci_low) > 0 && Number(summary.MDNet.p_holm) < 0.01);
  // DSST's interval is close to 0 on these files: its adjusted p is what says whether it beats KCF.
  const base = csvRows(join(out, 'baseline.csv'));
  assert.deepEqual(
    base.map((x) => x.tracker),
    ['MDNet', 'DSST'],
  );
  assert.ok(existsSync(join(out, 'baseline_forest.png')));
  assert.match(
    r.stdout,
    /AUC difference from KCF \(paired bootstrap 95% CI over sequences; sign-flip p, Holm-adjusted over 2 tracker\(s\)\)/,
  );
  const bad = runCli('eval', [...args, '--trackers', 'KCF,DSST', '--baseline', 'MDNet', '--out', out + '2']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--baseline: no tracker 'MDNet' was scored \(trackers: KCF, DSST\)/);
});
