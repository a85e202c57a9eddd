import { closeSync, fstatSync, ftruncateSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OutputLog } from './output-log.ts';

/**
 * A tracker's stderr as a file it appends to, never a pipe: a pipe of 64 KB makes a tracker that
 * writes 200 KB per frame wait four times per frame for siambench to be scheduled (on a loaded
 * machine, milliseconds each); a file never blocks it. The file is read into the capped log every
 * half second and when asked (before a failure is described, at the end), and emptied once it is
 * larger than the log could keep, so that the disk holds at most that much.
 */
const POLL_MS = 500;

export class StderrFile {
  readonly fd: number;
  private readonly readFd: number;
  private readonly dir: string;
  private offset = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly buf = Buffer.alloc(1 << 20);
  private readonly limit: number;
  private closed = false;

  constructor(private readonly log: OutputLog) {
    this.dir = mkdtempSync(join(tmpdir(), 'siambench-stderr-'));
    const file = join(this.dir, 'stderr');
    this.fd = openSync(file, 'a');
    this.readFd = openSync(file, 'r');
    this.limit = Math.max(8 << 20, log.capBytes);
    this.timer = setInterval(() => this.drain(), POLL_MS);
    this.timer.unref();
  }

  /** Moves what the tracker wrote since the last call into the log. */
  drain(): void {
    if (this.closed) return;
    for (;;) {
      const n = readSync(this.readFd, this.buf, 0, this.buf.length, this.offset);
      if (n <= 0) break;
      this.offset += n;
      this.log.append('stderr', this.buf.toString('utf8', 0, n));
    }
    if (this.offset > this.limit && fstatSync(this.readFd).size === this.offset) {
      // Opened for appending, the tracker goes on writing at the new end.
      ftruncateSync(this.fd, 0);
      this.offset = 0;
    }
  }

  close(): void {
    if (this.closed) return;
    clearInterval(this.timer);
    this.drain();
    this.closed = true;
    closeSync(this.fd);
    closeSync(this.readFd);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
