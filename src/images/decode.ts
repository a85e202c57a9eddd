import sharp from 'sharp';
import { UserError } from '../core/errors.ts';
import { checkRegular } from '../core/regular-file.ts';

/** A decoded frame: interleaved RGB, 8 bits per channel, row-major. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * libvips reports a cut JPEG in several lines, each said twice ("premature end of JPEG image\n..."):
 * an error is one line, so the distinct lines are joined and the whole cut to 200 characters.
 */
function vipsMessage(err: unknown): string {
  const lines = [
    ...new Set(
      String((err as Error)?.message ?? err)
        .split(/\r?\n/)
        .map((l) => l.trim()),
    ),
  ].filter(Boolean);
  const one = lines.join('; ');
  return one.length > 200 ? `${one.slice(0, 197)}...` : one;
}

/**
 * Decodes any image sharp reads (JPEG, PNG, ...) to RGB. sharp decodes on libuv's thread pool, so
 * several decodes overlap with the caller's work.
 */
export async function decodeRgb(path: string): Promise<RgbImage> {
  // A FIFO named like a frame would block one of libuv's threads for good: no timer ends that read.
  checkRegular(path);
  try {
    const { data, info } = await sharp(path).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (err) {
    throw new UserError(`${path}: cannot decode image (${vipsMessage(err)})`);
  }
}

/** Width and height from the file header only (no pixel decode). */
export async function imageSize(path: string): Promise<{ width: number; height: number }> {
  checkRegular(path);
  try {
    const m = await sharp(path).metadata();
    if (!m.width || !m.height) throw new Error('no size in header');
    return { width: m.width, height: m.height };
  } catch (err) {
    throw new UserError(`${path}: cannot read image size (${vipsMessage(err)})`);
  }
}
