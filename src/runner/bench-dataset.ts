import { join, resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import { loadOtb } from '../benchmarks/otb/dataset/index.ts';
import type { OtbDataset } from '../benchmarks/otb/dataset/types.ts';
import { ensureSynthetic, PRESETS, readManifest, type PresetName } from '../synthetic/index.ts';
import { loadVot } from '../benchmarks/vot/dataset/index.ts';
import type { VotDataset } from '../benchmarks/vot/dataset/types.ts';

export type BenchDataset = { kind: 'otb'; ds: OtbDataset } | { kind: 'vot'; ds: VotDataset };

const OTB_SETS = ['OTB2013', 'OTB50', 'OTB100'];
export const BENCH_DATASETS = ['synthetic', 'synthetic-vot', ...OTB_SETS, 'VOT2016', 'VOT2017', 'VOT2018', 'VOT2019'];

/** The canonical name and protocol family of a dataset name; unknown names are a user error. */
export function benchDatasetKind(name: string): { name: string; kind: 'otb' | 'vot' } {
  const known = BENCH_DATASETS.find((d) => d.toLowerCase() === name.toLowerCase());
  if (!known) throw new UserError(`--dataset: unknown dataset '${name}' (expected ${BENCH_DATASETS.join(', ')})`);
  return { name: known, kind: /vot/i.test(known) ? 'vot' : 'otb' };
}

/**
 * The dataset a bench run uses. `synthetic` (one-pass, OTB layout) and `synthetic-vot` (reset
 * protocol, VOT layout) are generated on first use (seconds) and cached with a manifest, so later
 * runs reuse the same frames; other names load a user's OTB or VOT folder.
 */
export async function loadBenchDataset(
  name: string, root: string | undefined, log: (line: string) => void, preset: PresetName = 'default',
): Promise<BenchDataset> {
  const known = benchDatasetKind(name).name;
  if (known.startsWith('synthetic')) {
    const dir = resolve(root ?? PRESETS[preset].dir);
    // A folder the user names that already holds a generated test split is used as it is (whatever
    // its settings); otherwise the preset is generated there, once.
    const existing = root ? (await readManifest(dir)).splits.test : undefined;
    if (existing) {
      const s = existing.settings;
      log(`synthetic test split in ${dir}: ${s.sequences} sequences x ${s.frames} frames, seed ${s.seed}`);
    } else await ensureSynthetic(dir, {
      ...PRESETS[preset].options,
      splits: ['test'],
      onSplit: (split, status, seconds) => {
        log(status === 'cached' ? `synthetic ${split} split: cached in ${dir}` : `synthetic ${split} split: generated in ${dir} (${seconds.toFixed(1)} s)`);
      },
    });
    return known === 'synthetic'
      ? { kind: 'otb', ds: await loadOtb('synthetic', join(dir, 'otb')) }
      : { kind: 'vot', ds: await loadVot('synthetic-vot', join(dir, 'vot')) };
  }
  if (!root) throw new UserError(`--root: required for --dataset ${known} (the dataset folder, with images)`);
  return OTB_SETS.includes(known) ? { kind: 'otb', ds: await loadOtb(known, resolve(root)) } : { kind: 'vot', ds: await loadVot(known, resolve(root)) };
}
