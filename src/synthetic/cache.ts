import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs-atomic.ts';
import { generateSplit, type GenerateProgress } from './generate.ts';
import {
  MANIFEST_FILE,
  SPLITS,
  readManifest,
  splitIsCurrent,
  type SplitName,
  type SplitSettings,
  type SyntheticManifest,
} from './manifest.ts';

export interface SyntheticOptions {
  /** Base seed; each split derives its own, so test and train are different scenes. */
  seed?: number;
  /** Splits to make sure of (default: test only; train is large and only for training). */
  splits?: readonly SplitName[];
  testSequences?: number;
  testFrames?: number;
  trainSequences?: number;
  trainFrames?: number;
  width?: number;
  height?: number;
  /** JPEG quality 1..100. */
  quality?: number;
  /** Regenerate even when the cached split matches. */
  force?: boolean;
  /** Threads rendering sequences (default: the cores, at most 4); the bytes do not depend on it. */
  workers?: number;
  onProgress?: (p: GenerateProgress) => void;
  /** Told for each requested split whether it was reused or generated (and how long that took). */
  onSplit?: (split: SplitName, status: 'cached' | 'generated', seconds: number) => void;
}

export const SYNTHETIC_DEFAULTS = {
  seed: 1,
  testSequences: 20,
  testFrames: 80,
  trainSequences: 240,
  trainFrames: 80,
  width: 320,
  height: 240,
  quality: 90,
} as const;

/** Shortest sequence whose scripted events (occlusion, out-of-view walk, bursts) all fit. */
const MIN_FRAMES = 30;

export type PresetName = 'default' | 'regress';

/**
 * `default`: what `npm run bench` runs (and trains on, with `splits: ['train']`); `regress`: a
 * small fixed set for CI regression checks, with its own seed and folder so the two never evict
 * each other from the cache.
 */
export const PRESETS: Record<PresetName, { dir: string; options: SyntheticOptions }> = {
  default: { dir: 'data/synthetic', options: {} },
  regress: { dir: 'data/synthetic-regress', options: { seed: 7, testSequences: 6, testFrames: 40 } },
};

function check(name: string, v: number, ok: boolean, what: string): number {
  if (!Number.isFinite(v) || !ok) throw new UserError(`synthetic option ${name}: expected ${what}, got ${v}`);
  return v;
}

const whole = (name: string, v: number, lo: number, hi: number) =>
  check(name, v, Number.isInteger(v) && v >= lo && v <= hi, `a whole number ${lo}..${hi}`);

/** The settings a split is generated with (and compared by), with every option checked. */
export function splitSettings(split: SplitName, o: SyntheticOptions = {}): SplitSettings {
  const d = SYNTHETIC_DEFAULTS;
  const count =
    split === 'test'
      ? (['testSequences', o.testSequences ?? d.testSequences] as const)
      : (['trainSequences', o.trainSequences ?? d.trainSequences] as const);
  const frames =
    split === 'test' ? (['testFrames', o.testFrames ?? d.testFrames] as const) : (['trainFrames', o.trainFrames ?? d.trainFrames] as const);
  return {
    seed: whole('seed', o.seed ?? d.seed, 0, 0xffffffff),
    sequences: whole(count[0], count[1], 1, 99999),
    // OTB names images with 4 digits; under 30 frames the scripted events do not fit.
    frames: whole(frames[0], frames[1], MIN_FRAMES, 9999),
    // Room for a 100 px target at any rotation plus a fast-motion burst.
    width: whole('width', o.width ?? d.width, 256, 4096),
    height: whole('height', o.height ?? d.height, 192, 4096),
    quality: whole('quality', o.quality ?? d.quality, 1, 100),
  };
}

const TEMP_PREFIX = '.synthetic-';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temporary folders left by generations that were killed (their process is gone). */
async function removeStale(dir: string): Promise<void> {
  for (const entry of await readdir(dir)) {
    const m = new RegExp(`^\\${TEMP_PREFIX}[a-z]+-(\\d+)-`).exec(entry);
    if (m && Number(m[1]) !== process.pid && !alive(Number(m[1]))) await rm(join(dir, entry), { recursive: true, force: true });
  }
}

async function writeManifest(dir: string, m: SyntheticManifest): Promise<void> {
  const splits = Object.fromEntries(SPLITS.filter((s) => m.splits[s]).map((s) => [s, m.splits[s]]));
  await writeFileAtomic(join(dir, MANIFEST_FILE), `${JSON.stringify({ ...m, splits }, null, 2)}\n`);
}

/**
 * Makes sure `dir` holds the requested splits with the requested settings and returns the
 * manifest. A split whose manifest entry matches is reused untouched; any other is rendered into
 * a temporary folder beside it and renamed into place. The manifest drops the split before the
 * old folders go and lists it again only after the new ones are in place, so a generation killed
 * at any point never leaves a set that passes for complete.
 */
export async function ensureSynthetic(dir: string, options: SyntheticOptions = {}): Promise<SyntheticManifest> {
  const splits = options.splits ?? ['test'];
  for (const s of splits)
    if (!SPLITS.includes(s)) throw new UserError(`synthetic option splits: unknown split '${s}' (expected ${SPLITS.join(', ')})`);
  const wanted = splits.map((s) => [s, splitSettings(s, options)] as const);
  if (options.workers !== undefined) whole('workers', options.workers, 1, 64);
  await mkdir(dir, { recursive: true });
  await removeStale(dir);
  const manifest = await readManifest(dir);
  for (const [split, settings] of wanted) {
    if (!options.force && splitIsCurrent(dir, manifest, split, settings)) {
      options.onSplit?.(split, 'cached', 0);
      continue;
    }
    const started = performance.now();
    const tmp = await mkdtemp(join(dir, `${TEMP_PREFIX}${split}-${process.pid}-`));
    try {
      const result = await generateSplit(split, settings, tmp, options.onProgress, options.workers);
      delete manifest.splits[split];
      await writeManifest(dir, manifest);
      for (const rel of Object.values(result.layouts)) {
        if (existsSync(join(dir, rel!))) await rename(join(dir, rel!), join(tmp, `old-${rel}`));
        await rename(join(tmp, rel!), join(dir, rel!));
      }
      manifest.splits[split] = result;
      await writeManifest(dir, manifest);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
    options.onSplit?.(split, 'generated', (performance.now() - started) / 1000);
  }
  return manifest;
}
