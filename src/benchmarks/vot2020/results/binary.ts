import { mask, polygon, rectangle, special, type Region } from '../regions/types.ts';

/**
 * The VOT toolkit's binary trajectory format (`.bin`, what `vot evaluate` writes by default):
 * little-endian `<hI` (format 1, region count), then per region a type byte: 0 code `<I`, 1 rectangle
 * `<4f`, 2 polygon `<H` count then count x, y float pairs, 3 mask `<hhHHH` (x0, y0, w, h, run count) and
 * `<H` runs (long runs split by a zero run), 4 point `<2f`. Binary masks are not tightened.
 */
export function readBinaryRegions(buf: Buffer): Region[] {
  let at = 0;
  const need = (n: number) => {
    if (at + n > buf.length) throw new Error(`truncated at byte ${at} of ${buf.length}`);
  };
  need(6);
  const version = buf.readInt16LE(0);
  const count = buf.readUInt32LE(2);
  if (version !== 1) throw new Error(`format ${version}, expected 1`);
  at = 6;
  const out: Region[] = [];
  for (let i = 0; i < count; i++) {
    need(1);
    const type = buf.readUInt8(at++);
    if (type === 0) {
      need(4);
      out.push(special(buf.readUInt32LE(at)));
      at += 4;
    } else if (type === 1) {
      need(16);
      out.push(rectangle(buf.readFloatLE(at), buf.readFloatLE(at + 4), buf.readFloatLE(at + 8), buf.readFloatLE(at + 12)));
      at += 16;
    } else if (type === 2) {
      need(2);
      const n = buf.readUInt16LE(at);
      need(2 + 8 * n);
      out.push(polygon(Array.from({ length: 2 * n }, (_, k) => buf.readFloatLE(at + 2 + 4 * k))));
      at += 2 + 8 * n;
    } else if (type === 3) {
      need(10);
      const [x, y, w, h, n] = [buf.readInt16LE(at), buf.readInt16LE(at + 2), buf.readUInt16LE(at + 4), buf.readUInt16LE(at + 6), buf.readUInt16LE(at + 8)];
      need(10 + 2 * n);
      const runs = Array.from({ length: n }, (_, k) => buf.readUInt16LE(at + 10 + 2 * k));
      at += 10 + 2 * n;
      out.push(mask(x, y, w, h, decodeSplitRuns(w, h, runs)));
    } else if (type === 4) {
      need(8);
      out.push({ type: 'point', x: buf.readFloatLE(at), y: buf.readFloatLE(at + 4) });
      at += 8;
    } else throw new Error(`unknown region type ${type} at byte ${at - 1}`);
  }
  if (at !== buf.length) throw new Error(`${buf.length - at} bytes after the ${count} regions`);
  return out;
}

function decodeSplitRuns(w: number, h: number, runs: number[]): Uint8Array {
  const data = new Uint8Array(w * h);
  let pos = 0;
  for (let i = 0; i < runs.length; i++) {
    if (pos + runs[i] > data.length) throw new Error(`mask runs cover more than its ${w} x ${h} pixels`);
    if (i % 2 === 1) data.fill(1, pos, pos + runs[i]);
    pos += runs[i];
  }
  return data;
}

// The toolkit splits at 65025 (not the 65535 a `<H` holds); written alike, the files are byte-identical.
const MAX_RUN = 65025;

/** The inverse of `readBinaryRegions` (used by tests and to hand siambench runs to `vot pack`). */
export function writeBinaryRegions(regions: readonly Region[]): Buffer {
  const parts: Buffer[] = [];
  const head = Buffer.alloc(6);
  head.writeInt16LE(1, 0);
  head.writeUInt32LE(regions.length, 2);
  parts.push(head);
  for (const r of regions) parts.push(binaryRegion(r));
  return Buffer.concat(parts);
}

function binaryRegion(r: Region): Buffer {
  if (r.type === 'special') return Buffer.concat([Buffer.of(0), u32(r.code)]);
  if (r.type === 'rectangle') return Buffer.concat([Buffer.of(1), f32([r.x, r.y, r.width, r.height])]);
  if (r.type === 'point') return Buffer.concat([Buffer.of(4), f32([r.x, r.y])]);
  if (r.type === 'polygon') {
    const n = Buffer.alloc(2);
    n.writeUInt16LE(r.points.length / 2);
    return Buffer.concat([Buffer.of(2), n, f32(Array.from(r.points))]);
  }
  const runs: number[] = [];
  let value = 0,
    count = 0;
  for (const v of r.data) {
    if (v !== value) {
      runs.push(count);
      value = v;
      count = 0;
    }
    if (count === MAX_RUN) {
      runs.push(count, 0); // a long run continues after an empty run of the other value
      count = 0;
    }
    count++;
  }
  runs.push(count);
  const head = Buffer.alloc(11);
  head.writeUInt8(3, 0);
  [r.x, r.y].forEach((v, k) => head.writeInt16LE(v, 1 + 2 * k));
  [r.width, r.height, runs.length].forEach((v, k) => head.writeUInt16LE(v, 5 + 2 * k));
  const body = Buffer.alloc(2 * runs.length);
  runs.forEach((v, k) => body.writeUInt16LE(v, 2 * k));
  return Buffer.concat([head, body]);
}

function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v);
  return b;
}

function f32(vs: number[]): Buffer {
  const b = Buffer.alloc(4 * vs.length);
  vs.forEach((v, k) => b.writeFloatLE(v, 4 * k));
  return b;
}
