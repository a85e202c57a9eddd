import type { ByteBuffer } from 'flatbuffers';

/** A buffer that is not the flatbuffer it claims to be; the caller names the file. */
export class Malformed extends Error {}

/** A table of the buffer: field access by schema id, every read checked against the buffer's end. */
export class Table {
  constructor(
    private readonly bb: ByteBuffer,
    readonly pos: number,
  ) {
    check(bb, pos, 4);
    const vtable = pos - bb.readInt32(pos);
    check(bb, vtable, 4);
    check(bb, vtable, bb.readUint16(vtable));
  }

  private field(id: number): number {
    const o = this.bb.__offset(this.pos, 4 + 2 * id);
    return o === 0 ? 0 : this.pos + o;
  }

  has(id: number): boolean {
    return this.field(id) !== 0;
  }

  int(id: number, size: 1 | 4, fallback = 0): number {
    const at = this.field(id);
    if (!at) return fallback;
    check(this.bb, at, size);
    return size === 1 ? this.bb.readInt8(at) : this.bb.readInt32(at);
  }

  uint64(id: number): number {
    const at = this.field(id);
    if (!at) return 0;
    check(this.bb, at, 8);
    return Number(this.bb.readUint64(at));
  }

  table(id: number): Table | undefined {
    const at = this.field(id);
    if (!at) return undefined;
    check(this.bb, at, 4);
    return new Table(this.bb, this.bb.__indirect(at));
  }

  string(id: number): string {
    const at = this.field(id);
    if (!at) return '';
    const [start, length] = this.vectorAt(at, 1);
    return new TextDecoder().decode(this.bb.bytes().subarray(start, start + length));
  }

  /** Start and length of a vector field whose elements take `size` bytes (empty when absent). */
  vector(id: number, size: number): [number, number] {
    const at = this.field(id);
    return at ? this.vectorAt(at, size) : [0, 0];
  }

  private vectorAt(at: number, size: number): [number, number] {
    check(this.bb, at, 4);
    const lenAt = this.bb.__indirect(at);
    check(this.bb, lenAt, 4);
    const length = this.bb.readUint32(lenAt);
    check(this.bb, lenAt + 4, length * size);
    return [lenAt + 4, length];
  }

  tables(id: number): Table[] {
    const [start, length] = this.vector(id, 4);
    return Array.from({ length }, (_, i) => new Table(this.bb, this.bb.__indirect(start + 4 * i)));
  }

  ints(id: number): number[] {
    const [start, length] = this.vector(id, 4);
    return Array.from({ length }, (_, i) => this.bb.readInt32(start + 4 * i));
  }

  floats(id: number): Float32Array {
    const [start, length] = this.vector(id, 4);
    return Float32Array.from({ length }, (_, i) => this.bb.readFloat32(start + 4 * i));
  }

  int64s(id: number): number[] {
    const [start, length] = this.vector(id, 8);
    return Array.from({ length }, (_, i) => Number(this.bb.readInt64(start + 8 * i)));
  }
}

/** Throws Malformed unless [pos, pos + length) lies inside the buffer. */
export function check(bb: ByteBuffer, pos: number, length: number): void {
  if (!Number.isInteger(pos) || pos < 0 || length < 0 || pos + length > bb.capacity()) {
    throw new Malformed(`offset ${pos}+${length} outside the ${bb.capacity()} bytes`);
  }
}
