import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  aggregateByAttribute,
  aggregateScores,
  centreError,
  fpsFramesOverTime,
  fpsMeanOfRates,
  iouContinuous,
  iouGot10k,
  iouPixel,
  matlabColon,
  meanFps,
  normCentreError,
  precisionCurve,
  PRECISION_THRESHOLDS,
  NORM_PRECISION_THRESHOLDS,
  scoresFromCurves,
  sequenceScores,
  successCurve,
  SUCCESS_THRESHOLDS_MATLAB,
  SUCCESS_THRESHOLDS_NUMPY,
} from '../src/benchmarks/otb/metrics/index.ts';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

test('threshold grids: 21 overlap values ending exactly at 1, MATLAB counts the upper half back from 1', () => {
  assert.equal(SUCCESS_THRESHOLDS_MATLAB.length, 21);
  assert.equal(SUCCESS_THRESHOLDS_MATLAB[0], 0);
  assert.equal(SUCCESS_THRESHOLDS_MATLAB[20], 1);
  assert.equal(SUCCESS_THRESHOLDS_MATLAB[10], 0.5);
  assert.equal(SUCCESS_THRESHOLDS_MATLAB[19], 1 - 0.05);
  assert.equal(SUCCESS_THRESHOLDS_NUMPY[19], 19 * 0.05);
  assert.notEqual(1 - 0.05, 19 * 0.05); // why the two grids are kept apart
  assert.deepEqual([...matlabColon(0, 1, 4)], [0, 1, 2, 3, 4]);
  assert.equal(PRECISION_THRESHOLDS.length, 51);
  assert.equal(NORM_PRECISION_THRESHOLDS[20], 0.2);
});

test('IoU: 10x10 boxes shifted by 5 px share 50 of 150 pixels in every form', () => {
  const a = [1, 1, 10, 10] as const;
  const b = [6, 1, 10, 10] as const;
  close(iouPixel(...a, ...b), 1 / 3);
  close(iouContinuous(...a, ...b), 1 / 3);
  close(iouGot10k(...a, ...b), 1 / 3);
  // Pixel-inclusive: x 1..5 and 6..10 touch without sharing a pixel.
  assert.equal(iouPixel(1, 1, 5, 5, 6, 1, 5, 5), 0);
  assert.equal(iouPixel(1, 1, 5, 5, 1, 1, 5, 5), 1);
  // A 2x2 box at (2,2) shares one pixel with a 2x2 box at (1,1): 1 / (4 + 4 - 1).
  close(iouPixel(1, 1, 2, 2, 2, 2, 2, 2), 1 / 7);
});

test('IoU of two empty boxes: NaN for the toolkit and pysot, 0 for got10k (eps in the union)', () => {
  assert.ok(Number.isNaN(iouPixel(0, 0, 0, 0, 0, 0, 0, 0)));
  assert.ok(Number.isNaN(iouContinuous(0, 0, 0, 0, 0, 0, 0, 0)));
  assert.equal(iouGot10k(0, 0, 0, 0, 0, 0, 0, 0), 0);
  assert.equal(iouGot10k(0, 0, 0, 0, 1, 1, 10, 10), 0);
});

test('centre errors use x + (w-1)/2; normalised error divides each axis by the gt size', () => {
  assert.equal(centreError(1, 1, 10, 10, 4, 5, 10, 10), 5);
  close(centreError(1, 1, 1, 1, 1, 1, 3, 3), Math.SQRT2); // centres (1,1) and (2,2)
  close(normCentreError(6, 1, 10, 20, 1, 1, 10, 20), 0.5);
  close(normCentreError(1, 11, 10, 20, 1, 1, 10, 20), 0.5);
});

test('success curve is strict (IoU > t), precision curve is not (error <= t)', () => {
  const s = successCurve([0.5, 1, 0], SUCCESS_THRESHOLDS_NUMPY);
  close(s[0], 2 / 3); // 0 > 0 fails
  close(s[9], 2 / 3); // 0.45
  close(s[10], 1 / 3); // 0.5 > 0.5 fails
  close(s[19], 1 / 3);
  assert.equal(s[20], 0); // 1 > 1 fails
  const p = precisionCurve([20, 0, 50.5, -1], PRECISION_THRESHOLDS);
  close(p[0], 2 / 4); // 0 and -1
  close(p[19], 2 / 4);
  close(p[20], 3 / 4); // 20 <= 20
  close(p[50], 3 / 4); // 50.5 never
});

test('NaN and -1: NaN fails everything, -1 fails every overlap and passes every distance', () => {
  const s = successCurve([NaN, -1], SUCCESS_THRESHOLDS_MATLAB);
  assert.deepEqual(s, new Array(21).fill(0));
  const p = precisionCurve([NaN, -1], PRECISION_THRESHOLDS);
  assert.deepEqual(p, new Array(51).fill(0.5));
});

test('curves divide by the given denominator (frames a short result does not cover still count)', () => {
  const s = successCurve([1, 1], SUCCESS_THRESHOLDS_NUMPY, 4);
  close(s[0], 0.5);
});

test('scores: AUC is the mean of the 21 success values, OP50/OP75 read the curve at 0.5/0.75', () => {
  const sc = sequenceScores([0.6, 0.8, 0.3, 0.76], [1, 30, 25, 5], [0.1, 0.3, 0.21, 0.2], SUCCESS_THRESHOLDS_NUMPY, 4);
  close(sc.op50, 3 / 4);
  close(sc.op75, 2 / 4);
  close(sc.precision20, 2 / 4);
  close(sc.normPrecision20, 2 / 4);
  close(sc.successAuc, sc.successCurve.reduce((a, b) => a + b, 0) / 21);
  // IoU 0.6 passes 0..0.55 (12 thresholds), 0.8 passes 16, 0.3 passes 6, 0.76 passes 16: 50 of 84.
  close(sc.successAuc, 50 / 84);
  assert.equal(sc.frames, 4);
});

const flat = (v: number, frames: number) => scoresFromCurves(new Array(21).fill(v), new Array(51).fill(v), new Array(51).fill(v), frames);

test('sequences weigh equally whatever their length', () => {
  const agg = aggregateScores([flat(1, 10), flat(0.5, 1000)], { dropAllZeroCurves: false })!;
  close(agg.successAuc, 0.75);
  close(agg.precision20, 0.75);
  assert.equal(agg.frames, 1010);
  assert.equal(agg.sequences, 2);
});

test('the OTB toolkit leaves all-zero curves out of the mean; pysot and got10k do not', () => {
  close(aggregateScores([flat(0.8, 5), flat(0, 5)], { dropAllZeroCurves: true })!.successAuc, 0.8);
  close(aggregateScores([flat(0.8, 5), flat(0, 5)], { dropAllZeroCurves: false })!.successAuc, 0.4);
  assert.equal(aggregateScores([], { dropAllZeroCurves: false }), undefined);
});

test('attributes carried by fewer than 2 sequences are skipped', () => {
  const seqs = [
    { ...flat(1, 3), attributes: ['IV', 'SV'] },
    { ...flat(0.5, 3), attributes: ['IV'] },
  ];
  const by = aggregateByAttribute(seqs, { dropAllZeroCurves: false }, ['IV', 'SV', 'OCC']);
  assert.deepEqual(Object.keys(by), ['IV']);
  close(by.IV.successAuc, 0.75);
  assert.equal(by.IV.sequences, 2);
});

test('speed: got10k averages 1/t over positive times; frames/total time otherwise', () => {
  close(fpsMeanOfRates([0, 0.1, 0.2])!, 7.5);
  assert.equal(fpsMeanOfRates([0, 0]), undefined);
  close(fpsFramesOverTime([0.1, 0.1, 0.2])!, 7.5);
  assert.equal(fpsFramesOverTime([]), undefined);
  close(meanFps([10, undefined, 20])!, 15);
  assert.equal(meanFps([undefined]), undefined);
});
