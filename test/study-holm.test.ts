import { test } from 'node:test';
import assert from 'node:assert/strict';
import { holm } from '../src/study/holm.ts';

/** Holm's adjustment, against values worked by hand. */

test('Holm: the i-th smallest of m times m - i + 1, kept monotone, capped at 1, in the input order', () => {
  // Sorted 0.01, 0.03, 0.04, 0.5: 0.04, 0.09, max(0.09, 0.08) = 0.09, max(0.09, 0.5) = 0.5.
  const got = holm([0.04, 0.01, 0.5, 0.03]);
  [0.09, 0.04, 0.5, 0.09].forEach((want, i) => assert.ok(Math.abs(got[i] - want) < 1e-12, `${i}: ${got[i]} vs ${want}`));
  assert.deepEqual(holm([0.3, 0.6]), [0.6, 0.6]);
  assert.deepEqual(holm([0.8, 0.9, 0.7]), [1, 1, 1]);
  // The README's case: a seed-level p of 0.016 among 7 comparisons, the smallest of them, is 0.112.
  assert.ok(Math.abs(holm([0.016, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5])[0] - 0.112) < 1e-12);
});

test('Holm: NaN entries are outside the family and stay NaN; one p-value is its own adjustment', () => {
  const got = holm([NaN, 0.02, 0.01]);
  assert.ok(Number.isNaN(got[0]));
  assert.deepEqual(got.slice(1), [0.02, 0.02]);
  assert.deepEqual(holm([0.2]), [0.2]);
  assert.deepEqual(holm([]), []);
});
