import { copyFile, link, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { Rng, deriveSeed } from '../../training/random.ts';
import { frameTruth, votTags, type FrameTruth } from './annotations.ts';
import { coverAttributes, sampleAttributes, type Attribute } from './attributes.ts';
import { frameFile, makeSequenceDirs, writeAnnotations, writeLists } from './layouts.ts';
import { SPLIT_LAYOUTS, type LayoutName, type SequenceRecord, type SplitManifest, type SplitName, type SplitSettings } from './manifest.ts';
import { renderFrame } from './render.ts';
import { buildScene } from './scene.ts';
import { attributeMismatches } from './verify.ts';

/** Frame rate written into VOT `sequence` files (the frames have no real timing). */
export const SYNTHETIC_FPS = 30;
/** JPEG encodes in flight while the next frames render (sharp encodes on libuv's thread pool). */
const IN_FLIGHT = 6;

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

/** Writes a JPEG to the first path and hard-links it to the others (copies where links fail). */
async function writeFrame(rgb: Uint8Array, s: SplitSettings, paths: string[]): Promise<number> {
  const jpeg = await sharp(rgb, { raw: { width: s.width, height: s.height, channels: 3 } }).jpeg({ quality: s.quality }).toBuffer();
  await writeFile(paths[0], jpeg);
  for (const p of paths.slice(1)) await link(paths[0], p).catch(() => copyFile(paths[0], p));
  return jpeg.length;
}

/**
 * Renders one split into `root` (a fresh folder: the caller moves it into place). Sequence i's
 * scene depends only on the split seed and i, so the same settings give the same bytes.
 */
export async function generateSplit(
  split: SplitName, settings: SplitSettings, root: string, onProgress?: (p: GenerateProgress) => void,
): Promise<SplitManifest> {
  const seed = splitSeed(settings.seed, split);
  const layouts = Object.fromEntries(Object.entries(SPLIT_LAYOUTS[split]).map(([l, rel]) => [l, join(root, rel!)])) as Partial<Record<LayoutName, string>>;
  const sets = splitAttributes(split, seed, settings.sequences);
  const total = settings.sequences * settings.frames;
  const records: SequenceRecord[] = [];
  let bytes = 0;
  let done = 0;
  for (let i = 0; i < settings.sequences; i++) {
    const name = sequenceName(split, i, settings.sequences);
    const seqSeed = deriveSeed(seed, `sequence:${i}`);
    const scene = buildScene(seqSeed, sets[i], settings.frames, settings.width, settings.height);
    await makeSequenceDirs(layouts, name);
    const truth: FrameTruth[] = [];
    const pending: Promise<number>[] = [];
    for (let t = 0; t < settings.frames; t++) {
      const r = renderFrame(scene, t);
      truth.push(frameTruth(scene, t, r));
      const paths = (Object.entries(layouts) as [LayoutName, string][]).map(([l, dir]) => frameFile(l, dir, name, t));
      pending.push(writeFrame(r.rgb, settings, paths));
      if (pending.length >= IN_FLIGHT) bytes += await pending.shift()!;
      onProgress?.({ split, sequence: name, framesDone: ++done, framesTotal: total });
    }
    for (const n of await Promise.all(pending)) bytes += n;
    const wrong = attributeMismatches(scene, truth);
    if (wrong.length > 0) throw new Error(`synthetic ${split} sequence ${name} (seed ${seqSeed}): ${wrong.join('; ')}`);
    const tags = votTags(scene, truth);
    await writeAnnotations(layouts, { name, attributes: scene.attributes, truth, tags, fps: SYNTHETIC_FPS });
    records.push({
      name, seed: seqSeed, frames: settings.frames, attributes: scene.attributes, events: scene.events,
      minVisible: Math.round(Math.min(...truth.map((f) => f.visible)) * 1000) / 1000,
      occludedFrames: tags.occlusion.reduce((s, v) => s + v, 0),
    });
  }
  await writeLists(layouts, records.map((r) => r.name));
  return { settings, splitSeed: seed, layouts: SPLIT_LAYOUTS[split], frames: total, bytes, sequences: records };
}

