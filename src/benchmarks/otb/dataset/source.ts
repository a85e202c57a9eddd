import { existsSync } from 'node:fs';
import { danglingLink, isDanglingLink, listDir } from '../../../core/dir-entries.ts';
import type { ToolkitBox } from '../../../core/types.ts';
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
  groundTruth: ToolkitBox[];
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
  if (!existsSync(imgDir)) {
    if (isDanglingLink(imgDir)) warnings.push(`${danglingLink(imgDir)}; images of this target not listed`);
    return undefined;
  }
  const byNumber = new Map<number, string>();
  const dangling: string[] = [];
  // Images may be symbolic links (a folder of links into another copy); a dangling one has no image.
  for (const e of await listDir(imgDir)) {
    if (!IMAGE_EXT.test(e.name)) continue;
    if (e.kind === 'dangling') dangling.push(e.path);
    if (e.kind !== 'file') continue;
    const n = imageNumber(e.name);
    if (n !== undefined && !byNumber.has(n)) byNumber.set(n, e.path);
  }
  if (dangling.length > 0) {
    warnings.push(
      `${danglingLink(dangling[0])}${dangling.length > 1 ? ` and ${dangling.length - 1} more dangling link(s) in ${imgDir}` : ''}; not an image`,
    );
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
