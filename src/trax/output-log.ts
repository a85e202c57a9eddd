import { writeFileAtomic } from '../core/fs-atomic.ts';

/**
 * A tracker's own output (stderr, and stdout lines that are not TraX), kept whole up to a cap and
 * beyond it as its beginning and its end. Chunks are appended as they come, never split per byte
 * or per line, so a tracker writing megabytes per frame costs a string append, not a stall.
 */
export class OutputLog {
  private head = '';
  private tail: string[] = [];
  private tailLength = 0;
  private dropped = 0;

  constructor(readonly capBytes: number) {}

  append(source: 'stdout' | 'stderr' | 'siambench', text: string): void {
    const chunk = source === 'stdout' ? text : source === 'siambench' ? `[siambench] ${text}\n` : text;
    const half = Math.floor(this.capBytes / 2);
    if (this.head.length < half && this.tail.length === 0) {
      const room = half - this.head.length;
      this.head += chunk.slice(0, room);
      if (chunk.length <= room) return;
      this.pushTail(chunk.slice(room), half);
      return;
    }
    this.pushTail(chunk, half);
  }

  private pushTail(chunk: string, half: number): void {
    this.tail.push(chunk);
    this.tailLength += chunk.length;
    while (this.tailLength - this.tail[0].length >= half && this.tail.length > 1) {
      this.dropped += this.tail[0].length;
      this.tailLength -= this.tail.shift()!.length;
    }
    if (this.tailLength > half) {
      const cut = this.tailLength - half;
      this.tail[0] = this.tail[0].slice(cut);
      this.tailLength -= cut;
      this.dropped += cut;
    }
  }

  text(): string {
    const gap = this.dropped > 0 ? `\n[siambench] ... ${this.dropped} characters left out (log cap ${this.capBytes}) ...\n` : '';
    return this.head + gap + this.tail.join('');
  }

  /** The last `n` non-empty lines, each cut to 200 characters: what a failure reason quotes. */
  lastLines(n: number): string[] {
    const lines = (this.tail.length ? this.tail.join('') : this.head)
      .split('\n')
      .map((l) => l.replace(/\r$/, ''))
      .filter((l) => l.trim() !== '');
    return lines.slice(-n).map((l) => (l.length > 200 ? l.slice(0, 197) + '...' : l));
  }

  async save(file: string): Promise<void> {
    await writeFileAtomic(file, this.text());
  }
}
