import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Box } from '../../core/types.ts';
import { imageNumber } from './frames.ts';

/**
 * A target as one root form holds it, before the dataset name decides membership. Attributes and
 * initOmit are set only when the root itself records them (pysot `attr`, toolkit `att/` and
 * `initOmit/`, raw `attrs.txt`); otherwise the built-in definition fills them in.
 */
export interface SourceTarget {
  name: string;
  sequence: string;
  frames: number[];
  groundTruth: Box[];
  initOmit?: number;
  attributes?: string[];
  images?: string[];
}

const IMAGE_EXT = /\.(jpe?g|png|bmp)$/i;

/**
 * Absolute image path per frame from an `img/` folder (0001.jpg; Board's 00001.jpg), or undefined
 * with a warning when a frame has no image: a tracker cannot run on a sequence with holes.
 */
export async function imagesFor(imgDir: string, frames: number[], warnings: string[]): Promise<string[] | undefined> {
  if (!existsSync(imgDir)) return undefined;
  const byNumber = new Map<number, string>();
  for (const f of await readdir(imgDir)) {
    if (!IMAGE_EXT.test(f)) continue;
    const n = imageNumber(f);
    if (n !== undefined && !byNumber.has(n)) byNumber.set(n, join(imgDir, f));
  }
  const images: string[] = [];
  const missing: number[] = [];
  for (const f of frames) {
    const p = byNumber.get(f);
    if (p === undefined) missing.push(f);
    else images.push(p);
  }
  if (missing.length > 0) {
    warnings.push(`${imgDir}: no image for ${missing.length} annotated frame(s) (first: ${missing[0]}); images of this target not listed`);
    return undefined;
  }
  return images;
}
