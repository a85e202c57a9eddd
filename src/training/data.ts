import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readGot10kSplit } from '../benchmarks/got10k/layout.ts';
import { PairSampler, holdOut, type PairSettings } from '../benchmarks/got10k/pairs.ts';
import { type PairBatch, PairBatches } from './batches.ts';
import { type CropSettings, withoutAugmentation } from './crops.ts';
import { Rng, deriveSeed } from '../core/random.ts';
import { isDanglingLink } from '../core/dir-entries.ts';
import { UserError } from '../core/errors.ts';

export interface TrainingData {
  splitDir: string;
  trainSequences: number;
  valSequences: string[];
  sampler: PairSampler;
  val: PairBatch[];
}

/** A GOT-10k root (with train/list.txt) or the train split itself (with list.txt). */
function resolveSplit(dir: string): string {
  return existsSync(join(dir, 'list.txt')) || !existsSync(join(dir, 'train', 'list.txt')) ? dir : join(dir, 'train');
}

/**
 * Reads the split, holds out a seeded fraction of its sequences, and renders the fixed validation
 * pairs once (without augmentation) so that every epoch is scored on the same pairs.
 */
export async function prepareData(
  dir: string,
  opts: { valFraction: number; valPairs: number; seed: number; batchSize: number; pairs: PairSettings; crops: CropSettings },
): Promise<TrainingData> {
  const splitDir = resolveSplit(dir);
  if (!existsSync(join(splitDir, 'list.txt')) && !isDanglingLink(join(splitDir, 'list.txt'))) {
    // The default --data is the synthetic split, which `npm run generate` makes only when asked.
    throw new UserError(
      `--data: no training data in ${dir} (no list.txt of a GOT-10k split); ` +
        'for the built-in synthetic training split run npm run generate -- --train first',
    );
  }
  const all = await readGot10kSplit(splitDir);
  const { train, val } = holdOut(all, opts.valFraction, opts.seed);
  const batches: PairBatch[] = [];
  if (val.length > 0 && opts.valPairs > 0) {
    const source = new PairBatches(
      new PairSampler(val, opts.pairs),
      new Rng(deriveSeed(opts.seed, 'validation-pairs')),
      opts.batchSize,
      withoutAugmentation(opts.crops),
    );
    for (let n = 0; n < opts.valPairs; n += opts.batchSize) batches.push(await source.next());
  }
  return {
    splitDir,
    trainSequences: train.length,
    valSequences: val.map((s) => s.name),
    sampler: new PairSampler(train, opts.pairs),
    val: batches,
  };
}
