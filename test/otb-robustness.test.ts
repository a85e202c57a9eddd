/**
 * OTB's robustness experiments: TRE start frames (splitSeqTRE) against the start frames recorded in
 * the toolkit's own TRE results, SRE's perturbed boxes (shiftInitBB) computed by hand, the pooled
 * scoring on a hand-made case, and `eval --experiment tre` on the toolkit's 20-run .mat files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { type ToolkitBox, toolkitBox } from '../src/core/types.ts';
import { loadOtb } from '../src/benchmarks/otb/dataset/index.ts';
import { evaluateOtb } from '../src/benchmarks/otb/eval/evaluate.ts';
import { shiftInitBox, SRE_SHIFTS, treStarts } from '../src/benchmarks/otb/metrics/robustness.ts';
import { importOtbResults } from '../src/benchmarks/otb/results/index.ts';
import { csvRows, put, tempDir } from './helpers/files.ts';
import { runCli } from './helpers/cli.ts';
import { real, SKIP_REALDATA } from './helpers/realdata.ts';

const TRE = real('results', 'OTB100', 'toolkit-mat', 'cfnet-release-tre');

test(
  "TRE start frames equal the toolkit's own: all 20 runs of all 100 targets, for both trackers, from either root",
  { skip: SKIP_REALDATA },
  async () => {
    for (const root of [real('otb', 'OTB100.json'), real('otb', 'toolkit-tb100')]) {
      const ds = await loadOtb('OTB100', root);
      const res = await importOtbResults(TRE, ds);
      assert.equal(res.length, 2);
      let runs = 0;
      for (const r of res) {
        for (const t of ds.targets) {
          const recorded = r.sequences.get(t.name)!.runs!.map((x) => x.startFrame);
          assert.deepEqual(treStarts(t.name, t.frames, t.groundTruth), recorded, `${r.tracker} ${t.name}`);
          runs += recorded.length;
        }
      }
      assert.equal(runs, 4000);
    }
  },
);

test('TRE start frames by hand: 100 valid frames, and a sequence with omitted and invalid frames', () => {
  const box = toolkitBox([5, 5, 10, 10]);
  const frames = Array.from({ length: 100 }, (_, i) => i + 1);
  // Candidates 1..81 (81 leaves 20 frames); floor(1 + k * 81/19) for k = 0..18, then 81.
  const expected = [1, 5, 9, 13, 18, 22, 26, 30, 35, 39, 43, 47, 52, 56, 60, 64, 69, 73, 77, 81];
  assert.deepEqual(
    treStarts(
      'X',
      frames,
      frames.map(() => box),
    ),
    expected,
  );
  // Tiger1's initOmit removes images 1-5 and later stretches; a 0-size box removes its frame too.
  const gt = frames.map((f) => (f === 6 ? toolkitBox([5, 5, 0, 10]) : box));
  const starts = treStarts('Tiger1', frames, gt);
  assert.equal(starts[0], 7);
  assert.ok(starts.every((f) => f !== 6 && !(f >= 9 && f <= 15) && !(f >= 18 && f <= 29) && !(f >= 56 && f <= 66)));
  assert.deepEqual(treStarts('X', frames.slice(0, 19), gt.slice(0, 19)), []);
});

test('SRE boxes as shiftInitBB: ceil for centre shifts, MATLAB rounding for corners and scales, clamped to the image', () => {
  const b = toolkitBox([101, 51, 35, 21]);
  const got = Object.fromEntries(SRE_SHIFTS.map((s) => [s, [...shiftInitBox(b, s, 320, 240)]]));
  // right edge 135, bottom 71; 10% of 35 = 3.5, of 21 = 2.1; centre (118.5, 61.5).
  assert.deepEqual(got, {
    left: [97, 51, 35, 21],
    right: [105, 51, 35, 21],
    up: [101, 48, 35, 21],
    down: [101, 54, 35, 21],
    topLeft: [98, 49, 38, 23], // round(97.5) = 98, round(48.9) = 49
    topRight: [101, 49, 39, 23], // right edge round(138.5) = 139
    bottomLeft: [98, 51, 38, 23], // bottom round(73.1) = 73
    bottomRight: [101, 51, 39, 23],
    scale_8: [105, 53, 28, 17], // 0.8: x 118.5 - 14 = 104.5 -> 105 (away from zero), h 16.8 -> 17
    scale_9: [103, 52, 32, 19],
    scale_11: [99, 50, 39, 23],
    scale_12: [98, 49, 42, 25],
  } as Record<string, number[]>);
});

test('TRE pools the frames of all runs: successes of all runs over frames of all runs', () => {
  const n = 40;
  const frames = Array.from({ length: n }, (_, i) => i + 1);
  const gt: ToolkitBox[] = frames.map((f) => toolkitBox([10 + f, 10, 20, 20]));
  const target = { name: 'X', frames, groundTruth: gt, initOmit: 0, attributes: ['SV'] };
  const starts = treStarts('X', frames, gt);
  // Run 1 tracks perfectly; runs 2..20 are lost from their second frame (frame 1 is the ground truth).
  const runs = starts.map((s, k) => ({
    startFrame: s,
    boxes: frames.slice(s - 1).map((f, i) => (k === 0 || i === 0 ? gt[f - 1] : toolkitBox([500, 500, 20, 20]))),
  }));
  const seq = { boxes: runs[0].boxes, defects: [], runs };
  const ev = evaluateOtb(
    { name: 'X', targets: [target] },
    [{ tracker: 'T', sequences: new Map([['X', seq]]), missing: [], warnings: [] }],
    'otb',
    'tre',
  );
  const total = starts.reduce((a, s) => a + (n - s + 1), 0);
  const hits = n + 19; // run 1 all frames, each other run its first frame
  const s = ev.trackers[0].overall;
  assert.equal(s.frames, total);
  // IoU 1 passes thresholds 0..0.95 (20 of 21); the lost frames pass none.
  assert.ok(Math.abs(s.successAuc - (hits / total) * (20 / 21)) < 1e-12, `${s.successAuc}`);
  assert.ok(Math.abs(s.op50 - hits / total) < 1e-12);
  assert.equal(ev.experiment, 'tre');
});

test("eval --experiment tre on the toolkit's 20-run .mat results of SiamFC-3s and CFNet-conv2 (OTB100)", { skip: SKIP_REALDATA }, (t) => {
  const out = join(tempDir(t, 'tre-'), 'report');
  const r = runCli('eval', [
    '--dataset',
    'OTB100',
    '--root',
    real('otb', 'OTB100.json'),
    '--results',
    TRE,
    '--experiment',
    'tre',
    '--out',
    out,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const rows = Object.fromEntries(csvRows(join(out, 'summary.csv')).map((x) => [x.tracker, x]));
  // 615,179 frames = the 20 segments of the 100 targets; run 1 alone gives OPE's 0.582 / 0.771.
  assert.equal(rows['SiamFC-3s'].frames, '615179');
  assert.deepEqual([rows['SiamFC-3s'].success_auc, rows['SiamFC-3s'].precision_20], ['0.605151', '0.795168']);
  assert.deepEqual([rows['cfnet-conv2'].success_auc, rows['cfnet-conv2'].precision_20], ['0.606087', '0.791105']);
  assert.match(r.stdout, /experiment TRE: 20 runs per sequence/);
  const bad = runCli('eval', [
    '--dataset',
    'OTB100',
    '--root',
    real('otb', 'OTB100.json'),
    '--results',
    TRE,
    '--experiment',
    'xre',
    '--out',
    out + '2',
  ]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--experiment: 'xre' is not an OTB experiment \(ope, tre, sre\)/);
});

test('text runs in <tracker>/<target>/<target>_NNN.txt are scored as SRE runs', (t) => {
  const dir = tempDir(t, 'sre-');
  const frames = Array.from({ length: 30 }, (_, i) => i + 1);
  const gt = frames.map((f) => toolkitBox([10 + f, 10, 20, 20]));
  const lines = (shift: number) => gt.map((b) => `${b[0] + shift},${b[1]},${b[2]},${b[3]}`).join('\n') + '\n';
  // 12 runs: run k is off by k-1 px, so IoU falls with k.
  for (let k = 1; k <= 12; k++) put(join(dir, 'T', 'X', `X_${String(k).padStart(3, '0')}.txt`), lines(k - 1));
  const ds = {
    name: 'X',
    root: '/nowhere',
    warnings: [],
    targets: [{ name: 'X', sequence: 'X', frames, groundTruth: gt, initOmit: 0, attributes: ['SV'] }],
  };
  return importOtbResults(dir, ds).then((res) => {
    const seq = res[0].sequences.get('X')!;
    assert.equal(seq.runs?.length, 12);
    const ev = evaluateOtb(ds, res, 'otb', 'sre');
    assert.equal(ev.trackers[0].overall.frames, 360);
    // Shift d on a 20 px box: IoU = (20-d)/(20+d) (pixel-inclusive, same rows); frame 1 is the ground truth.
    const op50 = [...Array(12).keys()].reduce((a, d) => a + 1 + 29 * ((20 - d) / (20 + d) > 0.5 ? 1 : 0), 0) / 360;
    assert.ok(Math.abs(ev.trackers[0].overall.op50 - op50) < 1e-12);
  });
});
