import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bootstrapDifference,
  compare,
  EXACT_SIGN_FLIP_MAX,
  mean,
  quantile,
  sd,
  seedMeans,
  sequenceMeans,
  seedPermutationPValue,
  signFlipPValue,
} from '../src/study/stats.ts';

/** The study's statistics against values worked out by hand. */
const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('mean, sample SD (n - 1), quantile by linear interpolation (type 7)', () => {
  close(mean([1, 2, 3, 4]), 2.5);
  // (2.25 + 0.25 + 0.25 + 2.25) / 3 = 5/3
  close(sd([1, 2, 3, 4]), Math.sqrt(5 / 3));
  assert.ok(Number.isNaN(sd([0.5])), 'one seed has no SD');
  // h = (4 - 1) p: 0.75 -> 1 + 0.75; 2.925 -> 3 + 0.925
  close(quantile([1, 2, 3, 4], 0.25), 1.75);
  close(quantile([1, 2, 3, 4], 0.975), 3.925);
  close(quantile([1, 2, 3, 4], 0), 1);
  close(quantile([1, 2, 3, 4], 1), 4);
});

test('per-seed means (over sequences) and per-sequence means (over seeds)', () => {
  const m = [
    [0.5, 0.7],
    [0.3, 0.5],
  ];
  assert.deepEqual(
    seedMeans(m).map((x) => +x.toFixed(12)),
    [0.6, 0.4],
  );
  assert.deepEqual(
    sequenceMeans(m).map((x) => +x.toFixed(12)),
    [0.4, 0.6],
  );
});

test('sign-flip test, exact: the share of the 2^n sign assignments at least as extreme', () => {
  // +-1 +-2 +-3: sums 6, 4, 2, 0, 0, -2, -4, -6; |sum| >= 6 in 2 of 8.
  assert.deepEqual(signFlipPValue([1, 2, 3], { draws: 0, seed: 1 }), { p: 0.25, exact: true, draws: 8 });
  // Four equal differences: only all-plus and all-minus reach |sum| 2.
  assert.equal(signFlipPValue([0.5, 0.5, 0.5, 0.5], { draws: 0, seed: 1 }).p, 2 / 16);
  // Observed sum 0: every assignment is as extreme.
  assert.equal(signFlipPValue([1, -1], { draws: 0, seed: 1 }).p, 1);
  // Ties up to rounding count: 0.1 + 0.2 and 0.3 as the other sign assignment.
  assert.equal(signFlipPValue([0.1, 0.2, -0.3], { draws: 0, seed: 1 }).p, 1);
});

test('seed permutation test, exact: the share of the C(n, k) splits of the pooled models at least as far apart', () => {
  const o = { draws: 0, seed: 1 };
  // {3, 4} vs {1, 2}: gap 2. Splits of {1, 2, 3, 4} into two pairs: sums 3|7, 4|6, 5|5 (and mirrors)
  // give gaps 2, 1, 0, 0, 1, 2: two of six reach 2.
  assert.deepEqual(seedPermutationPValue([3, 4], [1, 2], o), { p: 2 / 6, exact: true, draws: 6 });
  // Five seeds each, completely separated: only the observed split and its mirror, 2 of 252.
  const r = seedPermutationPValue([0.6, 0.61, 0.62, 0.63, 0.64], [0.5, 0.51, 0.52, 0.53, 0.54], o);
  assert.deepEqual(r, { p: 2 / 252, exact: true, draws: 252 });
  // Unequal sizes: {5} vs {1, 2, 3}, gap 3; singling out 1 gives |1 - 10/3| = 2.33, 2 gives 0.67, 3 gives 1 (others 3).
  assert.deepEqual(seedPermutationPValue([5], [1, 2, 3], o), { p: 1 / 4, exact: true, draws: 4 });
  // Ties up to rounding count: 0.1 + 0.2 vs 0.3 + 0 is the same gap as 0.3 + 0 vs 0.1 + 0.2.
  assert.equal(seedPermutationPValue([0.1, 0.2], [0.3, 0], o).p, 1);
  assert.ok(Number.isNaN(seedPermutationPValue([], [1], o).p));
});

test('seed permutation test, Monte Carlo past the exact limit: seeded, (1 + hits) / (1 + draws)', () => {
  // C(24, 12) = 2,704,156 splits; fully separated groups reach the observed gap in 2 of them.
  const a = Array.from({ length: 12 }, (_, i) => 1 + i / 100);
  const b = Array.from({ length: 12 }, (_, i) => i / 100);
  const r = seedPermutationPValue(a, b, { draws: 2000, seed: 5 });
  assert.deepEqual(r, { p: 1 / 2001, exact: false, draws: 2000 });
  assert.deepEqual(seedPermutationPValue(a, b, { draws: 2000, seed: 5 }), r, 'same seed, same p');
  // Interleaved groups: the observed gap 0.01 is small, so most random splits reach it.
  const mixed = seedPermutationPValue(
    a.map((_, i) => 2 * i + 1),
    b.map((_, i) => 2 * i),
    { draws: 2000, seed: 5 },
  );
  assert.ok(mixed.p > 0.5, String(mixed.p));
});

test('sign-flip test, Monte Carlo past the exact limit: (1 + hits) / (1 + draws), seeded', () => {
  const d = Array.from({ length: EXACT_SIGN_FLIP_MAX + 1 }, () => 1);
  const r = signFlipPValue(d, { draws: 1000, seed: 7 });
  assert.equal(r.exact, false);
  assert.equal(r.draws, 1000);
  // Exact p is 2 / 2^17; a hit in 1000 draws is unlikely, and the formula never gives 0.
  assert.equal(r.p, 1 / 1001);
  assert.deepEqual(signFlipPValue(d, { draws: 1000, seed: 7 }), r, 'same seed, same p');
  // Alternating signs: the observed sum is 1 (17 odd), about half the draws reach it.
  const alt = signFlipPValue(
    d.map((x, i) => (i % 2 ? -x : x)),
    { draws: 4000, seed: 3 },
  );
  assert.ok(alt.p > 0.5 && alt.p <= 1, String(alt.p));
});

test('bootstrap over sequences: one seed each, differences 1 and 0 -> draws 0, 0.5, 1 with 1/4, 1/2, 1/4 -> CI [0, 1]', () => {
  const ci = bootstrapDifference([[1, 0]], [[0, 0]], { draws: 4000, seed: 1, level: 0.95 });
  assert.deepEqual(ci, { low: 0, high: 1 });
});

test('bootstrap over seeds: two seeds scoring 1 and 0 vs a constant baseline -> CI [0, 1]', () => {
  const ci = bootstrapDifference(
    [
      [1, 1],
      [0, 0],
    ],
    [
      [0, 0],
      [0, 0],
    ],
    { draws: 4000, seed: 2, level: 0.95 },
  );
  assert.deepEqual(ci, { low: 0, high: 1 });
});

test('bootstrap pairs sequences: a constant per-sequence difference gives a zero-width interval at it', () => {
  // Sequences differ a lot in difficulty; the difference on each is 0.1, so every draw is 0.1.
  const ci = bootstrapDifference([[0.9, 0.2, 0.5]], [[0.8, 0.1, 0.4]], { draws: 2000, seed: 3, level: 0.95 });
  close(ci.low, 0.1, 1e-9);
  close(ci.high, 0.1, 1e-9);
});

test('bootstrap draws are reproducible from the seed and differ with another seed', () => {
  const a = [
    [0.5, 0.6, 0.2, 0.9],
    [0.4, 0.7, 0.3, 0.8],
  ];
  const b = [
    [0.45, 0.5, 0.3, 0.7],
    [0.5, 0.6, 0.2, 0.9],
  ];
  const o = { draws: 1000, seed: 11, level: 0.95 };
  assert.deepEqual(bootstrapDifference(a, b, o), bootstrapDifference(a, b, o));
  assert.notDeepEqual(bootstrapDifference(a, b, o), bootstrapDifference(a, b, { ...o, seed: 12 }));
});

test('compare: means and SDs over seeds, the difference, its interval around it, the sign-flip p', () => {
  const config = {
    auc: [
      [0.5, 0.7],
      [0.3, 0.5],
    ],
    precision: [
      [0.8, 1],
      [0.6, 0.6],
    ],
  };
  const baseline = {
    auc: [
      [0.4, 0.4],
      [0.4, 0.4],
    ],
    precision: [
      [0.7, 0.7],
      [0.7, 0.7],
    ],
  };
  const c = compare(config, baseline, { draws: 2000, seed: 1, level: 0.95, permutationDraws: 100 });
  // Seed means 0.6 and 0.4: mean 0.5, SD sqrt(0.02); precision 0.9 and 0.6: mean 0.75, SD sqrt(0.045).
  close(c.aucMean, 0.5);
  close(c.aucSd, Math.sqrt(0.02));
  close(c.precMean, 0.75);
  close(c.precSd, Math.sqrt(0.045));
  close(c.deltaAuc, 0.1);
  // Draws range over seed picks {0.6, 0.4} x sequence picks: from 0.3 - 0.4 to 0.7 - 0.4.
  assert.ok(c.ciLow >= -0.1 - 1e-12 && c.ciLow < 0.1 && c.ciHigh > 0.1 && c.ciHigh <= 0.3 + 1e-12, `${c.ciLow} ${c.ciHigh}`);
  // Per-sequence differences of the seed means: 0 and 0.2; every assignment reaches |0.2|.
  assert.equal(c.p, 1);
  assert.equal(c.pExact, true);
  // Per-seed means 0.6, 0.4 vs 0.4, 0.4 (gap 0.1): every split of {0.6, 0.4, 0.4, 0.4} into pairs
  // puts 0.6 with a 0.4 on one side, so all six reach 0.1.
  assert.equal(c.pSeeds, 1);
  assert.equal(c.pSeedsExact, true);
});
