import { copyFile, link, writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { frameTruth, votTags, type FrameTruth } from './annotations.ts';
import type { Attribute } from './attributes.ts';
import { frameFile, makeSequenceDirs, writeAnnotations } from './layouts.ts';
import type { LayoutName, SequenceRecord, SplitSettings } from './manifest.ts';
import { renderFrame } from './render.ts';
import { buildScene } from './scene.ts';
import { attributeMismatches } from './verify.ts';

/** Frame rate written into VOT `sequence` files (the frames have no real timing). */
export const SYNTHETIC_FPS = 30;
/** JPEG encodes in flight while the next frames render (sharp encodes on libuv's thread pool). */
const IN_FLIGHT = 6;

/** One sequence to render: everything it depends on, so that a worker thread can do it alone. */
export interface SequenceJob {
  split: string;
  name: string;
  seed: number;
  attributes: Attribute[];
  settings: SplitSettings;
  /** Layout name -> absolute folder the sequence goes into. */
  layouts: Partial<Record<LayoutName, string>>;
}

export interface SequenceResult {
  record: SequenceRecord;
  bytes: number;
}

/** Writes a JPEG to the first path and hard-links it to the others (copies where links fail). */
async function writeFrame(rgb: Uint8Array, s: SplitSettings, paths: string[]): Promise<number> {
  // Full-resolution chroma: many textures differ mostly in hue, and 4:2:0 would smear exactly the
  // detail that tells a target from its look-alikes.
  const jpeg = await sharp(rgb, { raw: { width: s.width, height: s.height, channels: 3 } })
    .jpeg({ quality: s.quality, chromaSubsampling: '4:4:4' })
    .toBuffer();
  await writeFile(paths[0], jpeg);
  for (const p of paths.slice(1)) await link(paths[0], p).catch(() => copyFile(paths[0], p));
  return jpeg.length;
}

/**
 * Renders a sequence's frames into every layout, checks that the frames show exactly the claimed
 * attributes (a mismatch is a generator bug and throws), then writes the annotation files.
 */
export async function renderSequence(job: SequenceJob, onFrame?: () => void): Promise<SequenceResult> {
  const { name, settings } = job;
  const scene = buildScene(job.seed, job.attributes, settings.frames, settings.width, settings.height);
  await makeSequenceDirs(job.layouts, name);
  const truth: FrameTruth[] = [];
  const pending: Promise<number>[] = [];
  let bytes = 0;
  for (let t = 0; t < settings.frames; t++) {
    const r = renderFrame(scene, t);
    truth.push(frameTruth(scene, t, r));
    const paths = (Object.entries(job.layouts) as [LayoutName, string][]).map(([l, dir]) => frameFile(l, dir, name, t));
    pending.push(writeFrame(r.rgb, settings, paths));
    if (pending.length >= IN_FLIGHT) bytes += await pending.shift()!;
    onFrame?.();
  }
  for (const n of await Promise.all(pending)) bytes += n;
  const wrong = attributeMismatches(scene, truth);
  if (wrong.length > 0) throw new Error(`synthetic ${job.split} sequence ${name} (seed ${job.seed}): ${wrong.join('; ')}`);
  const tags = votTags(scene, truth);
  await writeAnnotations(job.layouts, { name, attributes: scene.attributes, truth, tags, fps: SYNTHETIC_FPS });
  const record: SequenceRecord = {
    name,
    seed: job.seed,
    frames: settings.frames,
    attributes: scene.attributes,
    events: scene.events,
    minVisible: Math.round(Math.min(...truth.map((f) => f.visible)) * 1000) / 1000,
    occludedFrames: tags.occlusion.reduce((s, v) => s + v, 0),
  };
  return { record, bytes };
}
