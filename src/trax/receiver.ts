import { LineSplitter, type Message, parseLine } from './message.ts';
import type { OutputLog } from './output-log.ts';

/**
 * The tracker-to-client stream as a queue of messages. Lines that are not TraX are the tracker's
 * own output and go to its log; a line that names a message but breaks the grammar is an error at
 * once (the reference drops it and waits for its timeout). A line ending in CR LF is read as if it
 * ended in LF, with a warning: the reference library drops some of those (docs/trax.md 0.5).
 */
export class Receiver {
  readonly warnings: string[] = [];
  /** The last line that started with @@TRAX but was not a message (a near miss worth naming). */
  nearMiss: string | undefined;
  private readonly queue: Message[] = [];
  private fatal: string | undefined;
  private ended = false;
  private wake: (() => void) | undefined;
  private readonly splitter = new LineSplitter((l) => this.onLine(l));

  constructor(private readonly log: OutputLog) {}

  push = (text: string): void => this.splitter.push(text);

  end = (): void => {
    this.splitter.end();
    this.ended = true;
    this.wake?.();
  };

  private warnOnce(w: string): void {
    if (!this.warnings.includes(w)) {
      this.warnings.push(w);
      this.log.append('siambench', w);
    }
  }

  private onLine(raw: string): void {
    let line = raw;
    if (line.endsWith('\r') && line.startsWith('@@TRAX:')) {
      line = line.slice(0, -1);
      this.warnOnce('the tracker ends TraX lines with CR LF; read as LF here, but the reference TraX library drops some such lines');
    }
    const m = parseLine(line);
    if (m === null) {
      if (line.startsWith('@@TRAX')) this.nearMiss = line;
      this.log.append('stdout', raw + '\n');
      return;
    }
    if ('malformed' in m) {
      this.fatal ??= `a malformed TraX line (${m.malformed}): ${cut(line)}`;
    } else this.queue.push(m);
    this.wake?.();
  }

  /** Messages received but not yet taken (a non-empty queue before a request means unasked-for replies). */
  get pending(): number {
    return this.queue.length;
  }

  /**
   * The next message, or a reason there is none: 'ended' when the stream closed, 'timeout' when
   * `ms` passed, or the grammar error. `ms` null waits for ever.
   */
  async next(ms: number | null): Promise<Message | { failure: 'ended' | 'timeout' | string }> {
    const deadline = ms === null ? Infinity : performance.now() + ms;
    for (;;) {
      if (this.fatal) return { failure: this.fatal };
      const m = this.queue.shift();
      if (m) return m;
      if (this.ended) return { failure: 'ended' };
      const left = deadline - performance.now();
      if (left <= 0) return { failure: 'timeout' };
      await new Promise<void>((ok) => {
        const timer = Number.isFinite(left) ? setTimeout(ok, left) : undefined;
        this.wake = () => {
          clearTimeout(timer);
          this.wake = undefined;
          ok();
        };
      });
    }
  }
}

export function cut(s: string, n = 120): string {
  const t = JSON.stringify(s);
  return t.length > n ? t.slice(0, n - 4) + '..."' : t;
}
