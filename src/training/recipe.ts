import type { LossName } from '../trackers/siamfc/losses.ts';

/**
 * The recipe the committed models were trained with (`npm run reproduce -- --retrain` runs it
 * again): identical data and schedule for both, only the loss and the seed differ. It is the
 * global-loss study's recipe (studies/global-loss.json: 2,000 steps, where the losses have
 * flattened), sized to train here on two CPU cores: about 25 to 30 minutes per model on ONNX
 * Runtime, both models in parallel on one thread each.
 */
export const PAPER_RECIPE = {
  data: 'data/synthetic/train',
  width: 0.25,
  exemplarSize: 127,
  searchSize: 239,
  epochs: 20,
  pairsPerEpoch: 800,
  batch: 8,
  lr: 1e-2,
  lrEnd: 1e-4,
} as const;

/** A recipe and the seed of one run of it (data order, augmentation, initial weights). */
export type Recipe = { -readonly [K in keyof typeof PAPER_RECIPE]: (typeof PAPER_RECIPE)[K] extends number ? number : string } & {
  seed: number;
};

/**
 * The paper's two trackers, the loss each is trained with and the seed it was trained from. Each
 * model has its own seed because a study ships, per loss, the seed it chose on its validation set.
 */
export const PAPER_MODELS: { tracker: 'siamfc' | 'siamfc-gs'; loss: LossName; seed: number; label: string }[] = [
  { tracker: 'siamfc', loss: 'logistic', seed: 2, label: 'baseline (logistic)' },
  { tracker: 'siamfc-gs', loss: 'global', seed: 3, label: 'ours (global similarity)' },
];

/** `npm run train` arguments for one model of the recipe. */
export function recipeArgs(recipe: Recipe, loss: LossName, out: string): string[] {
  return [
    '--loss',
    loss,
    '--data',
    recipe.data,
    '--out',
    out,
    '--width',
    String(recipe.width),
    '--exemplar-size',
    String(recipe.exemplarSize),
    '--search-size',
    String(recipe.searchSize),
    '--epochs',
    String(recipe.epochs),
    '--pairs-per-epoch',
    String(recipe.pairsPerEpoch),
    '--batch',
    String(recipe.batch),
    '--lr',
    String(recipe.lr),
    '--lr-end',
    String(recipe.lrEnd),
    '--seed',
    String(recipe.seed),
    '--resume',
  ];
}
