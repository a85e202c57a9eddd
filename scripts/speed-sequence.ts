import sharp from 'sharp';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type ImageBox, imageBox, toolkitBox, toolkitToImage } from '../src/core/types.ts';

/**
 * The sequence the speed scripts time: a textured box drifting over a smooth background, 640x360
 * JPEG at quality 90, so that every script measures the same frames.
 */
export const FRAME_W = 640;
export const FRAME_H = 360;

/** The box in frame i (0-based image coordinates). */
export function truth(i: number): ImageBox {
  return imageBox([200 + 4 * i, 120 + 2 * i, 64, 48]);
}

export async function writeSequence(dir: string, n: number): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (let i = 0; i < n; i++) {
    const px = Buffer.alloc(FRAME_W * FRAME_H * 3);
    const [bx, by, bw, bh] = truth(i);
    for (let y = 0; y < FRAME_H; y++) {
      for (let x = 0; x < FRAME_W; x++) {
        const inBox = x >= bx && x < bx + bw && y >= by && y < by + bh;
        const v = inBox ? 0.5 + 0.25 * (Math.sin(x / 5) + Math.cos(y / 6)) : 0.5 + 0.2 * Math.sin(x / 11 + y / 17);
        px.set([255 * v, inBox ? 200 * (1 - v) : 120, 80 + 100 * v], (y * FRAME_W + x) * 3);
      }
    }
    const path = join(dir, `${String(i + 1).padStart(4, '0')}.jpg`);
    await sharp(px, { raw: { width: FRAME_W, height: FRAME_H, channels: 3 } })
      .jpeg({ quality: 90 })
      .toFile(path);
    paths.push(path);
  }
  return paths;
}

/** The real sequence (under ../shared/realdata) the speed scripts also time when it is there. */
export const REAL_SEQUENCE_PARTS = ['frames', 'otb', 'MotorRolling'];

/**
 * The first n frames of a raw OTB sequence folder (img/*.jpg, groundtruth_rect.txt) and its first
 * box in 0-based image coordinates; undefined when the folder is not there (a user's clone has no
 * ../shared).
 */
export async function readRealSequence(dir: string, n: number): Promise<{ paths: string[]; box: ImageBox } | undefined> {
  if (!existsSync(join(dir, 'img'))) return undefined;
  const names = (await readdir(join(dir, 'img')))
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .slice(0, n);
  const g = (await readFile(join(dir, 'groundtruth_rect.txt'), 'utf8'))
    .split('\n')[0]
    .split(/[\s,]+/)
    .map(Number);
  return { paths: names.map((f) => join(dir, 'img', f)), box: toolkitToImage(toolkitBox([g[0], g[1], g[2], g[3]])) };
}
