import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type ToolkitBox, toolkitBox } from '../src/core/types.ts';
import { CONVENTIONS, measureFrames } from '../src/benchmarks/otb/metrics/conventions.ts';
import { alignSequence } from '../src/benchmarks/otb/eval/align.ts';
import { evaluateOtb } from '../src/benchmarks/otb/eval/evaluate.ts';

const f64 = (boxes: number[][]) => Float64Array.from(boxes.flat());
const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);
const { otb, pysot, got10k } = CONVENTIONS;

test("first frame: otb and got10k score the ground truth, pysot the file's box", () => {
  const gt = f64([
    [1, 1, 10, 10],
    [1, 1, 10, 10],
  ]);
  const pred = f64([
    [50, 50, 10, 10],
    [1, 1, 10, 10],
  ]);
  assert.deepEqual([...measureFrames(gt, pred, otb).iou], [1, 1]);
  assert.deepEqual([...measureFrames(gt, pred, pysot).iou], [0, 1]);
  close(measureFrames(gt, pred, got10k).iou[0], 1);
  assert.deepEqual([...pred.slice(0, 2)], [50, 50]); // input untouched
});

test('invalid ground truth 0,0,0,0: otb/pysot mask it (-1), got10k scores it', () => {
  const gt = f64([
    [1, 1, 10, 10],
    [0, 0, 0, 0],
  ]);
  const pred = f64([
    [1, 1, 10, 10],
    [1, 1, 10, 10],
  ]);
  for (const rules of [otb, pysot]) {
    const m = measureFrames(gt, pred, rules);
    assert.equal(m.iou[1], -1);
    assert.equal(m.centre[1], -1); // a precision success
    assert.equal(m.invalidGroundTruth, 1);
  }
  const g = measureFrames(gt, pred, got10k);
  assert.equal(g.iou[1], 0);
  close(g.centre[1], 6 * Math.SQRT2); // centres (-0.5, -0.5) and (5.5, 5.5)
});

test('ground truth with x = 0 but a real size: invalid only for otb (any value <= 0)', () => {
  const gt = f64([
    [1, 1, 10, 10],
    [0, 5, 10, 10],
  ]);
  const pred = f64([
    [1, 1, 10, 10],
    [0, 5, 10, 10],
  ]);
  assert.equal(measureFrames(gt, pred, otb).iou[1], -1);
  assert.equal(measureFrames(gt, pred, otb).centre[1], -1);
  assert.equal(measureFrames(gt, pred, pysot).iou[1], 1);
  assert.equal(measureFrames(gt, pred, pysot).centre[1], 0);
  close(measureFrames(gt, pred, got10k).iou[1], 1);
});

test('bad prediction: otb takes the previous box (cascading), the others use it as is', () => {
  const gt = f64([
    [1, 1, 10, 10],
    [1, 1, 10, 10],
    [1, 1, 10, 10],
    [1, 1, 10, 10],
  ]);
  const pred = f64([
    [1, 1, 10, 10],
    [6, 1, 10, 10],
    [3, 3, 0, 10],
    [NaN, NaN, NaN, NaN],
  ]);
  const o = measureFrames(gt, pred, otb);
  assert.equal(o.replaced, 2);
  close(o.iou[2], 1 / 3); // frame 3 takes frame 2's box
  close(o.iou[3], 1 / 3); // frame 4 takes the replaced frame 3
  const p = measureFrames(gt, pred, pysot);
  assert.equal(p.replaced, 0);
  assert.equal(p.iou[2], 0);
  assert.ok(Number.isNaN(p.iou[3]));
});

test('otb replaces a box only when all four values are NaN (MATLAB if on a vector), not one', () => {
  const gt = f64([
    [1, 1, 10, 10],
    [1, 1, 10, 10],
  ]);
  const m = measureFrames(
    gt,
    f64([
      [1, 1, 10, 10],
      [NaN, 1, 10, 10],
    ]),
    otb,
  );
  assert.equal(m.replaced, 0);
  assert.ok(Number.isNaN(m.iou[1]));
});

const target = (frames: number[], initOmit = 0) => ({
  name: 'T',
  frames,
  initOmit,
  groundTruth: frames.map(() => toolkitBox([1, 1, 10, 10])),
});
const boxes = (n: number) => Array.from({ length: n }, () => toolkitBox([1, 1, 10, 10]));

test('short result: otb/pysot count uncovered frames as failures, got10k truncates', () => {
  const t = target([1, 2, 3, 4, 5]);
  const a = alignSequence(t, { boxes: boxes(3) }, otb);
  assert.equal(a.gt.length / 4, 5);
  assert.deepEqual([...a.missing], [0, 0, 0, 1, 1]);
  assert.match(a.defects.join('\n'), /covers 3 of 5 frames/);
  const m = measureFrames(a.gt, a.pred, otb, a.missing);
  assert.ok(Number.isNaN(m.iou[4]) && Number.isNaN(m.centre[4]));
  const g = alignSequence(t, { boxes: boxes(3) }, got10k);
  assert.equal(g.gt.length / 4, 3);
  assert.match(g.defects.join('\n'), /truncated/);
});

test('long result: extra rows are ignored and flagged', () => {
  const a = alignSequence(target([1, 2, 3]), { boxes: boxes(5) }, pysot);
  assert.equal(a.gt.length / 4, 3);
  assert.match(a.defects.join('\n'), /2 row\(s\) beyond the last frame/);
});

test('start frame: recorded, else a result as long as the frames after initOmit starts there', () => {
  const t = target([1, 2, 3, 4, 5, 6], 2);
  const rows = (n: number) => Array.from({ length: n }, (_, i) => toolkitBox([i + 1, 1, 10, 10]));
  // 4 rows = frames after initOmit: row 0 is image 3.
  const a = alignSequence(t, { boxes: rows(4) }, otb);
  assert.equal(a.startFrame, 3);
  assert.deepEqual(a.frames, [3, 4, 5, 6]);
  assert.equal(a.pred[0], 1);
  // 6 rows: row 0 is image 1, otb skips images 1-2, got10k keeps them.
  const b = alignSequence(t, { boxes: rows(6) }, otb);
  assert.deepEqual(a.frames, b.frames);
  assert.equal(b.pred[0], 3);
  assert.match(b.defects.join('\n'), /first 2 row\(s\) are ignored/);
  assert.deepEqual(alignSequence(t, { boxes: rows(6) }, got10k).frames, [1, 2, 3, 4, 5, 6]);
  // Recorded start wins.
  const c = alignSequence(t, { boxes: rows(5), startFrame: 2 }, otb);
  assert.equal(c.pred[0], 2); // image 3 is row 1
  // A result covering images 1..last of a sequence whose annotation starts later (David 300-770).
  const d = alignSequence(target([300, 301, 302]), { boxes: rows(302) }, pysot);
  assert.equal(d.pred[0], 300);
  assert.equal(d.startFrame, 1);
});

test('evaluateOtb: per-sequence and overall scores, missing targets warned, rules stated', () => {
  const ds = {
    name: 'tiny',
    targets: [
      { ...target([1, 2, 3, 4]), name: 'A', attributes: ['IV', 'SV'] },
      { ...target([1, 2]), name: 'B', attributes: ['IV'] },
      { ...target([1, 2]), name: 'C', attributes: ['IV'] },
    ],
  };
  const far = toolkitBox([100, 100, 10, 10]);
  const res = {
    tracker: 'trk',
    missing: ['C'],
    warnings: [],
    sequences: new Map([
      ['A', { boxes: [boxes(1)[0], far, far, boxes(1)[0]], defects: [], times: [0.5, 0.5, 0.5, 0.5] }],
      ['B', { boxes: [far, far], defects: ['row 2: odd'] }],
    ]),
  };
  for (const conv of ['otb', 'pysot', 'got10k'] as const) {
    const ev = evaluateOtb(ds, [res], conv);
    assert.equal(ev.convention, conv);
    assert.ok(ev.rules.length >= 5 && ev.rules[0].includes(conv));
    const t = ev.trackers[0];
    assert.equal(t.perSequence.length, 2);
    assert.equal(t.overall.sequences, 2);
    assert.equal(t.overall.frames, 6);
    assert.ok(t.warnings.some((w) => /no result for 1 target\(s\).*C/.test(w)));
    assert.ok(t.warnings.includes('B: row 2: odd'));
    close(t.perSequence[0].op50, 0.5);
    close(t.perSequence[0].fps!, 2);
    close(t.overall.fps!, 2);
    // B: pysot scores the far first box as a failure, otb/got10k replace it by the ground truth.
    close(t.perSequence[1].op50, conv === 'pysot' ? 0 : 0.5);
    assert.deepEqual(Object.keys(t.perAttribute), ['IV']); // SV has one sequence
    close(t.overall.op50, (0.5 + (conv === 'pysot' ? 0 : 0.5)) / 2);
  }
});

test("a frame the result misses keeps the toolkit's -1 when its ground truth is invalid (MDNet Board)", () => {
  const t = {
    name: 'Board',
    frames: [1, 2, 3],
    initOmit: 0,
    groundTruth: [
      [1, 1, 10, 10],
      [1, 1, 10, 10],
      [0, 0, 0, 0],
    ] as ToolkitBox[],
  };
  const a = alignSequence(t, { boxes: boxes(2) }, otb);
  assert.deepEqual([...a.missing], [0, 0, 1]);
  const m = measureFrames(a.gt, a.pred, otb, a.missing);
  assert.equal(m.iou[2], -1);
  assert.equal(m.centre[2], -1);
  const valid = measureFrames(a.gt.slice(0, 8), a.pred.slice(0, 8), otb, Uint8Array.from([0, 1]));
  assert.ok(Number.isNaN(valid.iou[1]) && Number.isNaN(valid.centre[1]));
});
