import { join, resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import { type BenchmarkFamily, resolveDataset } from '../benchmarks/registry/index.ts';
import { ensureSyntheticVot2020, generatedSettings, SYNTHETIC_VOT2020 } from '../synthetic/vot2020.ts';
import { type LoadedDataset, loadDataset } from '../benchmarks/index.ts';
import { ensureSynthetic, PRESETS, readManifest, syntheticTopDir, type PresetName } from '../synthetic/index.ts';

export type BenchDataset = LoadedDataset;

/** The canonical name and protocol family of a dataset name or alias; unknown names are a user error. */
export function benchDatasetKind(name: string): { name: string; kind: BenchmarkFamily } {
  const d = resolveDataset(name, { bench: true });
  return { name: d.name, kind: d.family };
}

/**
 * The dataset a bench run uses. `synthetic` (one-pass, OTB layout) and `synthetic-vot` (reset
 * protocol, VOT layout) are generated on first use (seconds) and cached with a manifest, so later
 * runs reuse the same frames; other names load a user's OTB or VOT folder.
 */
export async function loadBenchDataset(
  name: string,
  root: string | undefined,
  log: (line: string) => void,
  preset: PresetName = 'default',
): Promise<BenchDataset> {
  const { name: known, kind } = benchDatasetKind(name);
  if (known === 'synthetic-vot2020') {
    // Long sequences (EAO averages lengths 115..754): generated once (26 s measured on 2 busy cores), then cached.
    const dir = resolve(root ?? 'data/synthetic-vot2020');
    // As for `synthetic`: a folder the user names that holds a generated set is used as it is.
    const given = root ? await generatedSettings(dir) : undefined;
    const t0 = performance.now();
    const status = given ? 'used as it is' : await ensureSyntheticVot2020(dir);
    const s = given ?? SYNTHETIC_VOT2020;
    const took = status === 'generated' ? ` (${((performance.now() - t0) / 1000).toFixed(1)} s)` : '';
    log(`synthetic-vot2020 in ${dir}: ${status}${took}, ${s.sequences} sequences x ${s.frames} frames`);
    return loadDataset('vot2020', known, dir);
  }
  if (known.startsWith('synthetic')) {
    const dir = syntheticTopDir(resolve(root ?? PRESETS[preset].dir));
    // A folder the user names that already holds a generated test split is used as it is (whatever
    // its settings); otherwise the preset is generated there, once.
    const existing = root ? (await readManifest(dir)).splits.test : undefined;
    if (existing) {
      const s = existing.settings;
      log(`synthetic test split in ${dir}: ${s.sequences} sequences x ${s.frames} frames, seed ${s.seed}`);
    } else
      await ensureSynthetic(dir, {
        ...PRESETS[preset].options,
        splits: ['test'],
        onSplit: (split, status, seconds) => {
          log(
            status === 'cached'
              ? `synthetic ${split} split: cached in ${dir}`
              : `synthetic ${split} split: generated in ${dir} (${seconds.toFixed(1)} s)`,
          );
        },
      });
    return known === 'synthetic'
      ? loadDataset('otb', 'synthetic', join(dir, 'otb'))
      : loadDataset('vot', 'synthetic-vot', join(dir, 'vot'));
  }
  if (!root) throw new UserError(`--root: required for --dataset ${known} (the dataset folder, with images)`);
  return loadDataset(kind, known, root);
}
