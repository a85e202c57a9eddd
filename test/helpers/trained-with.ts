import assert from 'node:assert/strict';
import type { Recipe } from '../../src/training/recipe.ts';

/**
 * Asserts that a model.json's meta records the recipe it claims: schedule (with the seed),
 * architecture, and every step trained. `label` prefixes each failure (a run or tracker name).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function assertTrainedWith(meta: any, recipe: Omit<Recipe, 'data'>, label: string): void {
  const r = recipe;
  const s = meta.schedule;
  assert.deepEqual(
    [s.epochs, s.stepsPerEpoch * s.batchSize, s.batchSize, s.lrStart, s.lrEnd, s.seed],
    [r.epochs, r.pairsPerEpoch, r.batch, r.lr, r.lrEnd, r.seed],
    `${label}: schedule`,
  );
  const a = meta.architecture;
  assert.deepEqual([a.width, a.exemplarSize, a.searchSize], [r.width, r.exemplarSize, r.searchSize], `${label}: architecture`);
  assert.equal(meta.steps, (r.epochs * r.pairsPerEpoch) / r.batch, `${label}: trained to the end`);
}
