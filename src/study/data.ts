import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import { ensureSynthetic, SYNTHETIC_DEFAULTS } from '../synthetic/index.ts';
import { PAPER_RECIPE } from '../training/recipe.ts';
import type { StudySpec } from './spec.ts';

/** The data a study reads: its training split, the model it fine-tunes from, its test sets. */

export async function trainingData(spec: StudySpec, dataDir: string, log: (line: string) => void): Promise<string> {
  if (spec.trainSplit) {
    const dir = join(dataDir, 'train');
    const m = await ensureSynthetic(dir, {
      splits: ['train'],
      trainSequences: spec.trainSplit.sequences,
      trainFrames: spec.trainSplit.frames,
      seed: spec.trainSplit.seed,
      onSplit: (_s, status, s) =>
        log(
          `[study] training split (${spec.trainSplit!.sequences} sequences): ${status}${status === 'generated' ? ` in ${s.toFixed(0)} s` : ''} in ${dir}`,
        ),
    });
    return join(dir, m.splits.train!.layouts.got10k!);
  }
  const data = resolve(spec.recipe.data);
  if (spec.recipe.data === PAPER_RECIPE.data) {
    // The committed recipe's split is generated on first use, as `npm run reproduce -- --retrain` does.
    const dir = resolve('data/synthetic');
    await ensureSynthetic(dir, {
      splits: ['train'],
      onSplit: (_s, status, s) =>
        log(
          `[study] training split (${SYNTHETIC_DEFAULTS.trainSequences} sequences): ${status}${status === 'generated' ? ` in ${s.toFixed(0)} s` : ''}`,
        ),
    });
  } else if (!existsSync(join(data, 'list.txt'))) {
    throw new UserError(`${spec.file}: recipe.data: ${data} holds no GOT-10k split (list.txt)`);
  }
  return data;
}

/**
 * The model every run fine-tunes from (recipe.initFrom): a model folder as it is, or a folder of
 * TFLite files (the original SiamFC of ../shared) imported once into <data>/pretrained. Undefined
 * when the recipe trains from seeded weights, null when the source is absent (a clone without
 * ../shared), which skips the study with a message.
 */
export async function initSource(spec: StudySpec, dataDir: string, log: (line: string) => void): Promise<string | null | undefined> {
  if (spec.recipe.initFrom === undefined) return undefined;
  const src = resolve(spec.recipe.initFrom);
  if (existsSync(join(src, 'model.json'))) return src;
  const tflite =
    existsSync(src) && (src.endsWith('.tflite') || (statSync(src).isDirectory() && readdirSync(src).some((f) => f.endsWith('.tflite'))));
  if (!tflite) return null;
  const out = join(dataDir, 'pretrained', basename(src).replace(/\.tflite$/, ''));
  if (!existsSync(join(out, 'model.json'))) {
    const { importTflite } = await import('../trackers/siamfc/tflite-import.ts');
    await importTflite(src, out);
    log(`[study] recipe.initFrom: imported ${src} into ${out}`);
  }
  return out;
}
