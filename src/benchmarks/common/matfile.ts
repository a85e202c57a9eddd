import { inflateSync } from 'node:zlib';
import { UserError } from '../../core/errors.ts';

/**
 * A value of a MATLAB Level 5 MAT-file. Numbers are doubles in MATLAB's column-major order (int64
 * beyond 2^53 loses precision, which no tracking result reaches); `dims` is MATLAB's size().
 */
export type MatValue =
  | { kind: 'numeric'; dims: number[]; data: Float64Array }
  | { kind: 'char'; dims: number[]; text: string }
  | { kind: 'cell'; dims: number[]; items: MatValue[] }
  | { kind: 'struct'; dims: number[]; fields: string[]; items: Record<string, MatValue>[] }
  /** Classes a result file never needs (sparse, function handles, objects): kept by name, not decoded. */
  | { kind: 'other'; dims: number[]; matlabClass: string };

// Data types of the format's element tags.
const MI = { INT8: 1, UINT8: 2, INT16: 3, UINT16: 4, INT32: 5, UINT32: 6, SINGLE: 7, DOUBLE: 9, INT64: 12, UINT64: 13 } as const;
const MI_MATRIX = 14;
const MI_COMPRESSED = 15;
const MI_UTF8 = 16;
const MI_UTF16 = 17;
const CLASS_NAMES = ['', 'cell', 'struct', 'object', 'char', 'sparse', 'double', 'single', 'int8', 'uint8'];
const CLASS_NAMES_HIGH = ['int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'function_handle', 'opaque'];

interface Element {
  type: number;
  /** The payload, without tag or padding. */
  body: Buffer;
  /** Offset of the next element. */
  next: number;
}

/**
 * Reads the named variables of a MAT-file (all when `names` is absent). A compressed variable
 * that is not asked for is skipped after reading its name, so a whole saved workspace (the UAV
 * toolkits' result files carry one) costs little more than the variable wanted. A v7.3 (HDF5) or
 * v4 file, or a truncated or malformed one, is a one-line UserError naming the file.
 */
export function readMatFile(buf: Buffer, file: string, names?: string[]): Map<string, MatValue> {
  if (buf.length >= 8 && buf.subarray(0, 8).toString('latin1') === '\x89HDF\r\n\x1a\n') {
    throw new UserError(`${file}: a MATLAB v7.3 (HDF5) file; only Level 5 MAT-files (saved with -v7 or -v6) are read`);
  }
  if (buf.length >= 512 && buf.subarray(512, 520).toString('latin1') === '\x89HDF\r\n\x1a\n') {
    throw new UserError(`${file}: a MATLAB v7.3 (HDF5) file; only Level 5 MAT-files (saved with -v7 or -v6) are read`);
  }
  if (buf.length < 128 || !buf.subarray(0, 6).toString('latin1').startsWith('MATLAB')) {
    throw new UserError(`${file}: not a MATLAB Level 5 MAT-file (no 'MATLAB' header)`);
  }
  const mark = buf.subarray(126, 128).toString('latin1');
  if (mark !== 'IM' && mark !== 'MI') throw new UserError(`${file}: MAT-file header has no byte-order mark`);
  const r = new Reader(file, mark === 'IM');
  const out = new Map<string, MatValue>();
  let off = 128;
  while (off + 8 <= buf.length) {
    let el = r.element(buf, off);
    off = el.next;
    if (el.type === MI_COMPRESSED) {
      const raw = r.inflate(el.body);
      el = r.element(raw, 0);
    }
    if (el.type !== MI_MATRIX) continue;
    const name = r.matrixName(el.body);
    if (names && !names.includes(name)) continue;
    out.set(name, r.matrix(el.body));
  }
  return out;
}

class Reader {
  constructor(
    readonly file: string,
    readonly le: boolean,
  ) {}

  fail(what: string): never {
    throw new UserError(`${this.file}: malformed MAT-file (${what})`);
  }

  u32(b: Buffer, at: number): number {
    if (at + 4 > b.length) this.fail('element runs past the end of the data');
    return this.le ? b.readUInt32LE(at) : b.readUInt32BE(at);
  }

  /** One data element at `at`: the small form packs type and size into one word and data into the next. */
  element(b: Buffer, at: number): Element {
    const first = this.u32(b, at);
    const small = first >>> 16;
    if (small !== 0) {
      if (small > 4) this.fail(`small element of ${small} bytes`);
      return { type: first & 0xffff, body: b.subarray(at + 4, at + 4 + small), next: at + 8 };
    }
    const size = this.u32(b, at + 4);
    if (at + 8 + size > b.length) this.fail(`element of ${size} bytes at offset ${at} runs past the end`);
    // Compressed elements are not padded; the others are padded to 8 bytes.
    const padded = first === MI_COMPRESSED ? size : Math.ceil(size / 8) * 8;
    return { type: first, body: b.subarray(at + 8, at + 8 + size), next: Math.min(at + 8 + padded, b.length) };
  }

  inflate(body: Buffer): Buffer {
    try {
      return inflateSync(body);
    } catch (err) {
      return this.fail(`compressed element: ${(err as Error).message}`);
    }
  }

  /** The sub-elements of a matrix: flags, dimensions, name, then its class's parts. */
  parts(body: Buffer): Element[] {
    const els: Element[] = [];
    for (let at = 0; at + 8 <= body.length;) {
      const el = this.element(body, at);
      els.push(el);
      at = el.next;
    }
    return els;
  }

  matrixName(body: Buffer): string {
    if (body.length === 0) return '';
    const p = this.parts(body);
    if (p.length < 3) this.fail('matrix without flags, dimensions and name');
    return p[2].body.toString('latin1');
  }

  numbers(el: Element): Float64Array {
    const b = el.body;
    const sizes: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 9: 8, 12: 8, 13: 8 };
    const width = sizes[el.type];
    if (width === undefined) this.fail(`numeric data of type ${el.type}`);
    const n = Math.floor(b.length / width);
    // Doubles in the machine's byte order (every file seen) are copied in one go.
    if (el.type === MI.DOUBLE && this.le) return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + n * 8));
    const out = new Float64Array(n);
    const le = this.le;
    for (let i = 0; i < n; i++) {
      const o = i * width;
      out[i] = readOne(b, o, el.type, le);
    }
    return out;
  }

  matrix(body: Buffer): MatValue {
    // An empty cell element or struct field is a matrix of 0 bytes: MATLAB's [].
    if (body.length === 0) return { kind: 'numeric', dims: [0, 0], data: new Float64Array(0) };
    const p = this.parts(body);
    if (p.length < 3) this.fail('matrix without flags, dimensions and name');
    const flags = this.u32(p[0].body, 0);
    const cls = flags & 0xff;
    const dims = Array.from(this.numbers(p[1]));
    const count = dims.reduce((a, d) => a * d, 1);
    const rest = p.slice(3);
    const className = cls < 10 ? CLASS_NAMES[cls] : (CLASS_NAMES_HIGH[cls - 10] ?? `class ${cls}`);
    if (className === 'cell') {
      if (rest.length < count) this.fail(`cell of ${count} elements holds ${rest.length}`);
      return { kind: 'cell', dims, items: rest.slice(0, count).map((e) => this.matrix(e.body)) };
    }
    if (className === 'struct') return this.struct(dims, count, rest);
    if (className === 'char') return { kind: 'char', dims, text: this.chars(rest[0]) };
    if (cls >= 6 && cls <= 15) {
      if (rest.length < 1) return { kind: 'numeric', dims, data: new Float64Array(0) };
      const data = this.numbers(rest[0]);
      if (data.length !== count) this.fail(`${className} array of ${count} values holds ${data.length}`);
      return { kind: 'numeric', dims, data };
    }
    return { kind: 'other', dims, matlabClass: className };
  }

  struct(dims: number[], count: number, rest: Element[]): MatValue {
    if (rest.length < 2) this.fail('struct without field names');
    const nameLen = this.numbers(rest[0])[0];
    const raw = rest[1].body;
    const fields: string[] = [];
    for (let at = 0; nameLen > 0 && at + nameLen <= raw.length; at += nameLen) {
      const name = raw.subarray(at, at + nameLen).toString('latin1');
      fields.push(name.replace(/\0.*$/s, ''));
    }
    const values = rest.slice(2);
    if (values.length < count * fields.length) this.fail(`struct of ${count} x ${fields.length} fields holds ${values.length} values`);
    const items: Record<string, MatValue>[] = [];
    for (let i = 0; i < count; i++) {
      const item: Record<string, MatValue> = {};
      fields.forEach((f, k) => (item[f] = this.matrix(values[i * fields.length + k].body)));
      items.push(item);
    }
    return { kind: 'struct', dims, fields, items };
  }

  chars(el: Element | undefined): string {
    if (!el) return '';
    if (el.type === MI_UTF8 || el.type === MI.UINT8 || el.type === MI.INT8)
      return el.body.toString(el.type === MI_UTF8 ? 'utf8' : 'latin1');
    // UTF-16 characters are read as the 16-bit codes MATLAB stores for char.
    return String.fromCharCode(...this.numbers(el.type === MI_UTF16 ? { ...el, type: MI.UINT16 } : el));
  }
}

function readOne(b: Buffer, o: number, type: number, le: boolean): number {
  switch (type) {
    case MI.INT8:
      return b.readInt8(o);
    case MI.UINT8:
      return b.readUInt8(o);
    case MI.INT16:
      return le ? b.readInt16LE(o) : b.readInt16BE(o);
    case MI.UINT16:
      return le ? b.readUInt16LE(o) : b.readUInt16BE(o);
    case MI.INT32:
      return le ? b.readInt32LE(o) : b.readInt32BE(o);
    case MI.UINT32:
      return le ? b.readUInt32LE(o) : b.readUInt32BE(o);
    case MI.SINGLE:
      return le ? b.readFloatLE(o) : b.readFloatBE(o);
    case MI.DOUBLE:
      return le ? b.readDoubleLE(o) : b.readDoubleBE(o);
    case MI.INT64:
      return Number(le ? b.readBigInt64LE(o) : b.readBigInt64BE(o));
    default:
      return Number(le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o));
  }
}
