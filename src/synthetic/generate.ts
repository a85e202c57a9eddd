import { join } from 'node:path';
import { Rng, deriveSeed } from '../core/random.ts';
import { coverAttributes, sampleAttributes, type Attribute } from './attributes.ts';
import { writeLists } from './layouts.ts';
import { SPLIT_LAYOUTS, type LayoutName, type SplitManifest, type SplitName, type SplitSettings } from './manifest.ts';
import type { SequenceJob } from './sequence.ts';
import { renderAll } from './workers.ts';

export interface GenerateProgress {
  split: SplitName;
  sequence: string;
  framesDone: number;
  framesTotal: number;
}

export function splitSeed(baseSeed: number, split: SplitName): number {
  return deriveSeed(baseSeed, `synthetic-${split}`);
}

export function sequenceName(split: SplitName, i: number, count: number): string {
  const digits = Math.max(split === 'test' ? 3 : 4, String(count).length);
  return `${split === 'test' ? 'Synth' : 'SynthTrain'}${String(i + 1).padStart(digits, '0')}`;
}

/**
 * A test split covers every attribute at least twice (spread evenly); a training split draws them
 * independently per sequence.
 */
export function splitAttributes(split: SplitName, seed: number, n: number): Attribute[][] {
  if (split === 'test') return coverAttributes(n, new Rng(deriveSeed(seed, 'attributes')));
  return Array.from({ length: n }, (_, i) => sampleAttributes(new Rng(deriveSeed(seed, `attributes:${i}`))));
}

/**
 * Renders one split into `root` (a fresh folder: the caller moves it into place). Sequence i's
 * scene depends only on the split seed and i, so the same settings give the same bytes, whatever
 * the number of `workers` (threads; see `renderAll`).
 */
export async function generateSplit(
  split: SplitName,
  settings: SplitSettings,
  root: string,
  onProgress?: (p: GenerateProgress) => void,
  workers?: number,
): Promise<SplitManifest> {
  const seed = splitSeed(settings.seed, split);
  const layouts = Object.fromEntries(Object.entries(SPLIT_LAYOUTS[split]).map(([l, rel]) => [l, join(root, rel!)])) as Partial<
    Record<LayoutName, string>
  >;
  const sets = splitAttributes(split, seed, settings.sequences);
  const jobs: SequenceJob[] = sets.map((attributes, i) => ({
    split,
    name: sequenceName(split, i, settings.sequences),
    seed: deriveSeed(seed, `sequence:${i}`),
    attributes,
    settings,
    layouts,
  }));
  const total = settings.sequences * settings.frames;
  let done = 0;
  const results = await renderAll(jobs, workers, (job) =>
    onProgress?.({ split, sequence: job.name, framesDone: ++done, framesTotal: total }),
  );
  await writeLists(
    layouts,
    jobs.map((j) => j.name),
  );
  return {
    settings,
    splitSeed: seed,
    layouts: SPLIT_LAYOUTS[split],
    frames: total,
    bytes: results.reduce((n, r) => n + r.bytes, 0),
    sequences: results.map((r) => r.record),
  };
}
