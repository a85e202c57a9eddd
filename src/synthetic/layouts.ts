import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { frameName as got10kFrameName } from '../benchmarks/got10k/layout.ts';
import {
  coverLevel,
  flagLines,
  got10kGroundTruth,
  otbGroundTruth,
  votGroundTruth,
  VOT_TAGS,
  type FrameTruth,
  type VotTag,
} from './annotations.ts';
import type { Attribute } from './attributes.ts';
import type { LayoutName } from './manifest.ts';

/**
 * The three folder layouts the benchmark is written in, all from one rendering:
 *   OTB raw:  <otb>/<Seq>/img/0001.jpg, groundtruth_rect.txt, attrs.txt
 *   VOT:      <vot>/list.txt, <seq>/color/00000001.jpg, groundtruth.txt, <tag>.tag, sequence
 *   GOT-10k:  <train>/list.txt, <seq>/00000001.jpg, groundtruth.txt, absence.label, cover.label
 */
export function frameFile(layout: LayoutName, layoutDir: string, name: string, t: number): string {
  if (layout === 'otb') return join(layoutDir, name, 'img', `${String(t + 1).padStart(4, '0')}.jpg`);
  if (layout === 'vot') return join(layoutDir, name, 'color', got10kFrameName(t));
  return join(layoutDir, name, got10kFrameName(t));
}

export async function makeSequenceDirs(layouts: Partial<Record<LayoutName, string>>, name: string): Promise<void> {
  for (const [layout, dir] of Object.entries(layouts) as [LayoutName, string][]) {
    await mkdir(layout === 'got10k' ? join(dir, name) : join(dir, name, layout === 'otb' ? 'img' : 'color'), { recursive: true });
  }
}

export interface SequenceAnnotations {
  name: string;
  attributes: Attribute[];
  truth: FrameTruth[];
  tags: Record<VotTag, Uint8Array>;
  fps: number;
}

/** Writes every text file of one sequence into each layout folder it is written in. */
export async function writeAnnotations(layouts: Partial<Record<LayoutName, string>>, a: SequenceAnnotations): Promise<void> {
  const writes: Promise<void>[] = [];
  const put = (file: string, text: string) => writes.push(writeFile(file, text));
  if (layouts.otb) {
    const dir = join(layouts.otb, a.name);
    put(join(dir, 'groundtruth_rect.txt'), otbGroundTruth(a.truth));
    put(join(dir, 'attrs.txt'), `${a.attributes.join(', ')}\n`);
  }
  if (layouts.vot) {
    const dir = join(layouts.vot, a.name);
    put(join(dir, 'groundtruth.txt'), votGroundTruth(a.truth));
    for (const tag of VOT_TAGS) put(join(dir, `${tag}.tag`), flagLines(a.tags[tag]));
    put(join(dir, 'sequence'), `channels.color=color/%08d.jpg\nformat=default\nfps=${a.fps}\nname=${a.name}\n`);
  }
  if (layouts.got10k) {
    const dir = join(layouts.got10k, a.name);
    const cover = a.truth.map((f) => coverLevel(f.visible));
    put(join(dir, 'groundtruth.txt'), got10kGroundTruth(a.truth));
    put(join(dir, 'cover.label'), flagLines(cover));
    put(join(dir, 'absence.label'), flagLines(cover.map((c) => (c === 0 ? 1 : 0))));
  }
  await Promise.all(writes);
}

/** list.txt of the layouts that have one (VOT, GOT-10k); OTB folders are found by listing. */
export async function writeLists(layouts: Partial<Record<LayoutName, string>>, names: string[]): Promise<void> {
  const text = `${names.join('\n')}\n`;
  await Promise.all((['vot', 'got10k'] as const).filter((l) => layouts[l]).map((l) => writeFile(join(layouts[l]!, 'list.txt'), text)));
}
