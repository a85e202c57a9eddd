import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { deriveSeed } from '../core/random.ts';
import { UserError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs-atomic.ts';
import { tighten } from '../benchmarks/vot2020/regions/mask.ts';
import { formatRegion } from '../benchmarks/vot2020/regions/text.ts';
import { mask } from '../benchmarks/vot2020/regions/types.ts';
import { flagLines, frameTruth, votTags, VOT_TAGS } from './annotations.ts';
import { splitAttributes } from './generate.ts';
import { renderFrame } from './render.ts';
import { buildScene } from './scene.ts';

/**
 * The synthetic scenes in the VOT2020+ layout: ground truth as exact masks (the renderer knows
 * which pixels show the target), anchors every `anchorSpacing` frames (forward where more of the
 * sequence lies ahead, else backward), per-frame tags, and a `sequence` file with length, size and
 * fps. Sequences are long (800 frames by default) because EAO averages lengths 115..754: on short
 * sequences every tracker scores near 0.
 */
export interface SyntheticVot2020Settings {
  seed: number;
  sequences: number;
  frames: number;
  width: number;
  height: number;
  quality: number;
  anchorSpacing: number;
}

export const SYNTHETIC_VOT2020: SyntheticVot2020Settings = {
  seed: 1,
  sequences: 3,
  frames: 800,
  width: 320,
  height: 240,
  quality: 90,
  anchorSpacing: 200,
};
const MARKER = 'synthetic-vot2020.json';
const FPS = 30;

/** Anchor values: frame 0 and every `spacing` frames; +1 forward, -1 backward. */
export function syntheticAnchors(length: number, spacing: number): number[] {
  const v = new Array<number>(length).fill(0);
  for (let f = 0; f < length; f += spacing) v[f] = length - f >= f + 1 ? 1 : -1;
  return v;
}

async function renderSequence(
  dir: string,
  seed: number,
  attributes: Parameters<typeof buildScene>[1],
  s: SyntheticVot2020Settings,
): Promise<void> {
  const scene = buildScene(seed, attributes, s.frames, s.width, s.height);
  await mkdir(join(dir, 'color'), { recursive: true });
  const gt: string[] = [];
  const truth = [];
  for (let t = 0; t < s.frames; t++) {
    const r = renderFrame(scene, t);
    truth.push(frameTruth(scene, t, r));
    gt.push(formatRegion(tighten(mask(0, 0, s.width, s.height, r.targetMask))));
    const jpeg = await sharp(r.rgb, { raw: { width: s.width, height: s.height, channels: 3 } })
      .jpeg({ quality: s.quality, chromaSubsampling: '4:4:4' })
      .toBuffer();
    await writeFile(join(dir, 'color', `${String(t + 1).padStart(8, '0')}.jpg`), jpeg);
  }
  const tags = votTags(scene, truth);
  for (const tag of VOT_TAGS) await writeFile(join(dir, `${tag}.tag`), flagLines(tags[tag]));
  await writeFile(join(dir, 'groundtruth.txt'), gt.join('\n') + '\n');
  await writeFile(join(dir, 'anchor.value'), syntheticAnchors(s.frames, s.anchorSpacing).join('\n') + '\n');
  const meta = [
    'channels.color=color/%08d.jpg',
    'format=default',
    `fps=${FPS}`,
    `length=${s.frames}`,
    `width=${s.width}`,
    `height=${s.height}`,
  ];
  await writeFile(join(dir, 'sequence'), meta.join('\n') + '\n');
}

/** The settings a folder was generated with, when it holds a generated set. */
export async function generatedSettings(dir: string): Promise<SyntheticVot2020Settings | undefined> {
  const marker = join(dir, MARKER);
  return existsSync(marker) ? (JSON.parse(await readFile(marker, 'utf8')) as SyntheticVot2020Settings) : undefined;
}

export const syntheticVot2020Name = (i: number) => `SynthVot${String(i + 1).padStart(3, '0')}`;

/**
 * Generates the set into `dir` once; a folder generated with the same settings is reused. It is
 * rendered into a temporary sibling and moved into place, so a killed run leaves no half set.
 */
export async function ensureSyntheticVot2020(
  dir: string,
  settings: SyntheticVot2020Settings = SYNTHETIC_VOT2020,
): Promise<'cached' | 'generated'> {
  const marker = join(dir, MARKER);
  if (existsSync(marker) && (await readFile(marker, 'utf8')) === JSON.stringify(settings) + '\n') return 'cached';
  // Only a folder this generator made (or an empty one) is replaced.
  if (existsSync(dir) && !existsSync(marker) && (await readdir(dir)).length > 0)
    throw new UserError(`${dir}: not empty and not a generated synthetic-vot2020 set; refusing to replace it`);
  const tmp = `${dir}.partial-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  const attrs = splitAttributes('test', deriveSeed(settings.seed, 'vot2020'), settings.sequences);
  const names = Array.from({ length: settings.sequences }, (_, i) => syntheticVot2020Name(i));
  for (const [i, name] of names.entries())
    await renderSequence(join(tmp, name), deriveSeed(settings.seed, `vot2020:${i}`), attrs[i], settings);
  await writeFile(join(tmp, 'list.txt'), names.join('\n') + '\n');
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  await writeFileAtomic(marker, JSON.stringify(settings) + '\n');
  return 'generated';
}
