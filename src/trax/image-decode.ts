import sharp from 'sharp';
import { decodeRgb, imageSize } from '../images/decode.ts';

/**
 * A TraX image argument as siambench's trackers take a frame (docs/trax.md section 5): a path
 * (`file://`, `file:` or no scheme), raw pixels (`image:w;h;rgb|gray8|gray16;<base64>`) or an
 * encoded file (`data:<mime>;<base64>`). Pixels are decoded only for trackers that read them.
 */
export interface DecodedImage {
  path: string;
  width: number;
  height: number;
  data: Uint8Array;
}

function memoryImage(text: string): DecodedImage {
  const [w, h, format, b64] = text.slice('image:'.length).split(';', 4);
  const width = Number(w),
    height = Number(h);
  const raw = Buffer.from(b64 ?? '', 'base64');
  const fmt = (format ?? '').toLowerCase();
  const bytes = fmt === 'rgb' ? 3 : fmt === 'gray8' ? 1 : fmt === 'gray16' ? 2 : 0;
  if (!bytes) throw new Error(`memory image format '${format}' (expected rgb, gray8 or gray16)`);
  if (!(width > 0 && height > 0) || raw.length !== width * height * bytes) {
    throw new Error(`memory image of ${raw.length} bytes for ${w}x${h} ${fmt}`);
  }
  if (bytes === 3) return { path: '', width, height, data: new Uint8Array(raw) };
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    // gray16 in the machine's byte order (little-endian here): its high byte is the 8-bit value.
    const v = bytes === 1 ? raw[i] : raw[2 * i + 1];
    data[3 * i] = data[3 * i + 1] = data[3 * i + 2] = v;
  }
  return { path: '', width, height, data };
}

async function bufferImage(text: string, needsPixels: boolean): Promise<DecodedImage> {
  const b64 = text.slice(text.indexOf(';') + 1);
  const img = sharp(Buffer.from(b64, 'base64'));
  if (!needsPixels) {
    const m = await img.metadata();
    return { path: '', width: m.width ?? 0, height: m.height ?? 0, data: new Uint8Array(0) };
  }
  const { data, info } = await img.removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { path: '', width: info.width, height: info.height, data: new Uint8Array(data) };
}

export async function decodeImage(text: string, needsPixels: boolean): Promise<DecodedImage> {
  if (text.startsWith('image:')) return memoryImage(text);
  if (text.startsWith('data:')) return bufferImage(text, needsPixels);
  const scheme = /^([a-z+.-]{1,15}):/.exec(text)?.[1];
  if (scheme !== undefined && scheme !== 'file')
    throw new Error(`'${scheme}:' images (URLs) are not read here; use path, memory or buffer images`);
  const path = scheme === 'file' ? (text.startsWith('file://') ? text.slice(7) : text.slice(5)) : text;
  if (needsPixels) return { path, ...(await decodeRgb(path)) };
  return { path, ...(await imageSize(path)), data: new Uint8Array(0) };
}
