import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadVot2020 } from '../src/benchmarks/vot2020/dataset/layout.ts';
import { evaluateMultistart, runFrames } from '../src/benchmarks/vot2020/eval/multistart.ts';
import { failurePoint } from '../src/benchmarks/vot2020/metrics/multistart.ts';
import { writeBinaryRegions } from '../src/benchmarks/vot2020/results/binary.ts';
import { multistartName } from '../src/benchmarks/vot2020/results/files.ts';
import { parseRegion } from '../src/benchmarks/vot2020/regions/text.ts';
import { put, tempDir } from './helpers/files.ts';
import { anchorValues, writeVot2020Fixture } from './helpers/vot2020-fixture.ts';

// Known answers worked out by hand from the toolkit's rules (docs/scoring.md, VOT2020+).

/** The target: a 10 x 10 mask moving one pixel right per frame. */
const box = (f: number) => `${10 + f},20,10,10`;
const gtMask = (f: number) => `m${10 + f},20,10,10,0,100`;
const FAR = '70,70,5,5';

/** Writes a tracker's run per anchor: line 1 is `1`, then what `line(frame)` says. */
function writeRuns(
  dir: string,
  tracker: string,
  seq: string,
  length: number,
  anchors: [number, 'forward' | 'backward'][],
  line: (f: number) => string,
) {
  for (const [a, d] of anchors) {
    const frames = runFrames(length, a, d);
    const text = frames.map((f, k) => (k === 0 ? '1' : line(f))).join('\n') + '\n';
    put(join(dir, tracker, 'baseline', seq, `${multistartName(seq, a)}.txt`), text);
  }
}

async function fixture(t: { after: (fn: () => void) => void }, length: number, forward: number[], backward: number[] = [], gt = gtMask) {
  const root = tempDir(t, 'vot2020-');
  const groundtruth = Array.from({ length }, (_, f) => gt(f));
  writeVot2020Fixture(join(root, 'data'), [{ name: 'seq', groundtruth, anchor: anchorValues(length, forward, backward) }]);
  const ds = await loadVot2020('VOT2022', join(root, 'data'));
  return { root, ds, results: join(root, 'results') };
}

test('a perfect tracker: every line but the anchor scores 1', async (t) => {
  const { ds, results } = await fixture(t, 20, [0, 10], [19]);
  writeRuns(
    results,
    'perfect',
    'seq',
    20,
    [
      [0, 'forward'],
      [10, 'forward'],
      [19, 'backward'],
    ],
    box,
  );
  const r = evaluateMultistart(ds.sequences, results, 'perfect', 'baseline', { low: 2, high: 30 });
  // runs of 20, 10 and 20 lines, none fails: 47 ones over 50 lines (the 3 anchor lines score 0)
  assert.equal(r.accuracy, 47 / 50);
  assert.equal(r.robustness, 1);
  // lengths 1..19 average 1 (some run is still going), 20..29 have no active run: 0
  assert.deepEqual(Array.from(r.curve.slice(0, 21)), [0, ...new Array(19).fill(1), 0]);
  assert.equal(r.eao, 18 / 28);
  // with the stacks' lengths 115..754 a 20-frame sequence gives every tracker 0
  assert.equal(evaluateMultistart(ds.sequences, results, 'perfect', 'baseline', { low: 115, high: 755 }).eao, 0);
});

test('a tracker lost from frame 15 fails at frame 15', async (t) => {
  const { ds, results } = await fixture(t, 30, [0]);
  writeRuns(results, 'lost', 'seq', 30, [[0, 'forward']], (f) => (f < 15 ? box(f) : FAR));
  const r = evaluateMultistart(ds.sequences, results, 'lost', 'baseline', { low: 1, high: 40 });
  const run = r.sequences[0].runs[0];
  assert.deepEqual([run.progress, run.failed], [15, true]);
  assert.equal(r.accuracy, 14 / 15);
  assert.equal(r.robustness, 15 / 30);
  // inside the run: 14 ones over j lines from j = 15; past its end: 14 / (j - 1)
  assert.equal(r.curve[14], 1);
  assert.equal(r.curve[20], 14 / 20);
  assert.equal(r.curve[29], 14 / 29);
  assert.equal(r.curve[30], 14 / 29);
  assert.equal(r.curve[39], 14 / 38);
});

test('a tracker that never reports the target fails at the anchor', async (t) => {
  const { ds, results } = await fixture(t, 30, [0], [29]);
  writeRuns(
    results,
    'silent',
    'seq',
    30,
    [
      [0, 'forward'],
      [29, 'backward'],
    ],
    () => '0',
  );
  const r = evaluateMultistart(ds.sequences, results, 'silent', 'baseline', { low: 1, high: 40 });
  assert.deepEqual(
    r.sequences[0].runs.map((x) => x.progress),
    [0, 0],
  );
  // the toolkit divides by zero here; siambench reports no accuracy
  assert.ok(Number.isNaN(r.accuracy));
  assert.equal(r.robustness, 0);
  assert.equal(r.eao, 0);
});

test('failure rule: the anchor line counts, empty ground truth restarts the count', () => {
  const bad = (n: number) => new Float64Array(n);
  // bad from the anchor on: fails at 0
  assert.deepEqual(failurePoint({ overlaps: bad(12), emptyGroundtruth: new Uint8Array(12) }), { progress: 0, failed: true });
  // 9 bad lines cannot fail
  assert.deepEqual(failurePoint({ overlaps: bad(9), emptyGroundtruth: new Uint8Array(9) }), { progress: 9, failed: false });
  // empty ground truth on lines 5..7: the streak restarts at 8 and fails there (10th bad at 17)
  const empty = new Uint8Array(30);
  empty.fill(1, 5, 8);
  assert.deepEqual(failurePoint({ overlaps: bad(30), emptyGroundtruth: empty }), { progress: 8, failed: true });
  // 0.1 is bad, 0.1000001 is good
  const o = new Float64Array(12).fill(0.1);
  assert.equal(failurePoint({ overlaps: o, emptyGroundtruth: new Uint8Array(12) }).failed, true);
  o[5] = 0.1000001;
  assert.equal(failurePoint({ overlaps: o, emptyGroundtruth: new Uint8Array(12) }).failed, false);
});

test('backward runs are in reverse time; a file in forward order fails', async (t) => {
  const { ds, results } = await fixture(t, 30, [], [29]);
  writeRuns(results, 'back', 'seq', 30, [[29, 'backward']], box);
  const lines = ['1', ...Array.from({ length: 29 }, (_, k) => box(k + 1))];
  put(join(results, 'wrong', 'baseline', 'seq', `${multistartName('seq', 29)}.txt`), lines.join('\n') + '\n');
  const ok = evaluateMultistart(ds.sequences, results, 'back', 'baseline', { low: 1, high: 40 });
  assert.deepEqual([ok.accuracy, ok.robustness], [29 / 30, 1]);
  const wrong = evaluateMultistart(ds.sequences, results, 'wrong', 'baseline', { low: 1, high: 40 });
  assert.ok(wrong.robustness < 1);
});

test('.bin runs read as their .txt; .txt is read first', async (t) => {
  const { ds, results } = await fixture(t, 30, [0]);
  writeRuns(results, 'text', 'seq', 30, [[0, 'forward']], (f) => (f < 15 ? gtMask(f) : FAR));
  const regions = runFrames(30, 0, 'forward').map((f, k) => parseRegion(k === 0 ? '1' : f < 15 ? gtMask(f) : FAR));
  const bin = join(results, 'binary', 'baseline', 'seq', `${multistartName('seq', 0)}.bin`);
  put(bin, '');
  (await import('node:fs')).writeFileSync(bin, writeBinaryRegions(regions));
  const a = evaluateMultistart(ds.sequences, results, 'text', 'baseline', { low: 1, high: 40 });
  const b = evaluateMultistart(ds.sequences, results, 'binary', 'baseline', { low: 1, high: 40 });
  assert.deepEqual([b.accuracy, b.robustness, b.eao], [a.accuracy, a.robustness, a.eao]);
  // a .txt beside it wins: a perfect one
  writeRuns(results, 'binary', 'seq', 30, [[0, 'forward']], box);
  assert.equal(evaluateMultistart(ds.sequences, results, 'binary', 'baseline', { low: 1, high: 40 }).robustness, 1);
});

test('a missing run or a run of the wrong length is a one-line error naming the file', async (t) => {
  const { ds, results } = await fixture(t, 30, [0, 5]);
  writeRuns(results, 'part', 'seq', 30, [[0, 'forward']], box);
  assert.throws(() => evaluateMultistart(ds.sequences, results, 'part', 'baseline', { low: 1, high: 40 }), /seq_00000005\.txt: missing/);
  put(join(results, 'part', 'baseline', 'seq', `${multistartName('seq', 5)}.txt`), '1\n2,2,2,2\n');
  assert.throws(
    () => evaluateMultistart(ds.sequences, results, 'part', 'baseline', { low: 1, high: 40 }),
    /2 regions, the run covers 25 frames/,
  );
});
