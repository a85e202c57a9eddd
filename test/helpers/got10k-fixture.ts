import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { type ImageBox, imageBox } from '../../src/core/types.ts';
import { frameName } from '../../src/benchmarks/got10k/layout.ts';

/**
 * A small GOT-10k-layout train split for training tests: `sequences` sequences of six 120x90 frames,
 * a bright square drifting over a textured background, each sequence its own texture and path.
 */
export async function writeDriftingSquares(split: string, sequences = 8): Promise<void> {
  const W = 120;
  const H = 90;
  await mkdir(split, { recursive: true });
  const names = Array.from({ length: sequences }, (_, i) => `seq${i}`);
  await writeFile(join(split, 'list.txt'), names.join('\n') + '\n');
  for (const [s, name] of names.entries()) {
    await mkdir(join(split, name), { recursive: true });
    const boxes: ImageBox[] = [];
    for (let f = 0; f < 6; f++) {
      const box = imageBox([20 + 5 * s + 3 * f, 15 + 4 * s + 2 * f, 16 + s, 16]);
      boxes.push(box);
      const px = Buffer.alloc(W * H * 3);
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) px.fill(((x * 7 + y * 13 + s * 31) % 64) + 40, (y * W + x) * 3, (y * W + x) * 3 + 3);
      for (let y = box[1]; y < box[1] + box[3]; y++) for (let x = box[0]; x < box[0] + box[2]; x++) px.set([250, 220, 40], (y * W + x) * 3);
      await sharp(px, { raw: { width: W, height: H, channels: 3 } })
        .jpeg({ quality: 95 })
        .toFile(join(split, name, frameName(f)));
    }
    await writeFile(join(split, name, 'groundtruth.txt'), boxes.map((b) => b.join(',')).join('\n') + '\n');
  }
}
