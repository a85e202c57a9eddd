import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { decodeRgb } from '../images/decode.ts';
import type { ImageType } from './hello.ts';

/**
 * One frame as a TraX image argument (docs/trax.md section 5). Path images cost nothing, so they
 * come first; then buffer (the encoded file), memory (decoded pixels) and a file URL.
 */
const PREFERENCE: ImageType[] = ['path', 'buffer', 'memory', 'url'];

export function pickImageType(announced: ReadonlySet<ImageType>): ImageType {
  return PREFERENCE.find((t) => announced.has(t)) ?? 'path';
}

/** The mime type of a JPEG or PNG file from its first bytes, or null. */
function mimeOf(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  return null;
}

export async function encodeImage(type: ImageType, path: string): Promise<string> {
  switch (type) {
    case 'path':
      return `file://${path}`;
    case 'url':
      return pathToFileURL(path).href;
    case 'buffer': {
      const bytes = await readFile(path);
      const mime = mimeOf(bytes);
      // The reference knows only these two mime types: anything else would reach the tracker as 'illegal'.
      if (!mime) throw new Error(`${path}: neither JPEG nor PNG, so it cannot go as a TraX buffer image`);
      return `data:${mime};${bytes.toString('base64')}`;
    }
    case 'memory': {
      const img = await decodeRgb(path);
      return `image:${img.width};${img.height};rgb;${Buffer.from(img.data.buffer, img.data.byteOffset, img.data.length).toString('base64')}`;
    }
  }
}
