import { join, resolve } from 'node:path';
import { loadOtb } from '../datasets/otb/index.ts';
import type { OtbDataset } from '../datasets/otb/types.ts';
import { ensureSynthetic, PRESETS, type PresetName } from '../datasets/synthetic/index.ts';

/**
 * The dataset a bench run uses. `synthetic` is generated on first use (seconds) and cached with a
 * manifest, so every later run reuses the same frames; other names load a user's OTB folder.
 */
export async function loadBenchDataset(
  dataset: string, root: string | undefined, log: (line: string) => void, preset: PresetName = 'default',
): Promise<OtbDataset> {
  if (dataset !== 'synthetic') return loadOtb(dataset, resolve(root!));
  const dir = resolve(root ?? PRESETS[preset].dir);
  await ensureSynthetic(dir, {
    ...PRESETS[preset].options,
    splits: ['test'],
    onSplit: (split, status, seconds) => {
      log(status === 'cached' ? `synthetic ${split} split: cached in ${dir}` : `synthetic ${split} split: generated in ${dir} (${seconds.toFixed(1)} s)`);
    },
  });
  return loadOtb('synthetic', join(dir, 'otb'));
}
