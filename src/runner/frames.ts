import { decodeRgb, imageSize } from '../images/decode.ts';
import type { Frame } from '../trackers/base/tracker.ts';

/**
 * Frames of one sequence, decoded ahead of use: sharp decodes on libuv's thread pool, so the next
 * frames are being decoded while the tracker works on this one. Trackers that never read pixels
 * get frames with empty data and the size from the file header (no decode at all).
 */
export class FrameReader {
  private readonly pending = new Map<number, Promise<Frame>>();
  private size: Promise<{ width: number; height: number }> | null = null;
  /** Milliseconds spent waiting for frames that were not ready yet. */
  waitMs = 0;

  constructor(
    private readonly paths: string[],
    private readonly needsPixels: boolean,
    private readonly ahead = 2,
  ) {}

  get length(): number {
    return this.paths.length;
  }

  async get(i: number): Promise<Frame> {
    const t0 = performance.now();
    const frame = await this.load(i);
    this.pending.delete(i);
    for (let k = i + 1; k <= i + this.ahead && k < this.paths.length; k++) this.load(k).catch(() => {});
    this.waitMs += performance.now() - t0;
    return frame;
  }

  private load(i: number): Promise<Frame> {
    let p = this.pending.get(i);
    if (!p) {
      const path = this.paths[i];
      p = this.needsPixels
        ? decodeRgb(path).then((img) => ({ index: i, path, ...img }))
        : this.headerSize().then((s) => ({ index: i, path, ...s, data: new Uint8Array(0) }));
      this.pending.set(i, p);
    }
    return p;
  }

  private headerSize(): Promise<{ width: number; height: number }> {
    // Every frame of a sequence has the first frame's size.
    this.size ??= imageSize(this.paths[0]);
    return this.size;
  }
}
