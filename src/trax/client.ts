import { type Hello, readHello } from './hello.ts';
import { type Message, formatMessage, isValidKey } from './message.ts';
import { OutputLog } from './output-log.ts';
import { type LaunchSpec, TrackerProcess } from './process.ts';
import { Receiver, cut } from './receiver.ts';
import { type Region, convertRegion, formatRegion, parseRegion } from './region.ts';

/**
 * The client side of TraX (versions 1 to 4): starts a tracker, reads its hello, sends
 * initialisations and frames, reads one state per object, and ends the tracker whatever happens.
 * Every failure is a TraxError with one line saying what went wrong and what the tracker printed last.
 */
export class TraxError extends Error {
  override name = 'TraxError';
}

export interface TraxObject {
  region: Region;
  props?: Record<string, string>;
}

export interface TraxState {
  region: Region;
  /** What the tracker reported with the region (e.g. confidence), keys as sent. */
  props: Record<string, string>;
}

export interface TraxReply {
  states: TraxState[];
  /** From the request's last byte written to the last state read, as the toolkit times a frame. */
  seconds: number;
}

export interface ClientOptions {
  launch: LaunchSpec;
  /** Deadline of the hello (the process start included). */
  handshakeMs: number;
  /** Deadline of each initialisation and frame; null: none. */
  stepMs: number | null;
}

const secs = (ms: number) => `${+(ms / 1000).toFixed(3)} s`;

export class TraxClient {
  readonly hello: Hello;
  private objects = 0;
  private initialised = false;
  private closed = false;
  private sentNonAscii = false;

  private constructor(
    private readonly proc: TrackerProcess,
    private readonly rx: Receiver,
    hello: Hello,
    private readonly opts: ClientOptions,
  ) {
    this.hello = hello;
  }

  /** Starts the tracker and reads its hello within `handshakeMs`. */
  static async open(opts: ClientOptions): Promise<TraxClient> {
    const log = new OutputLog(opts.launch.logCap);
    const rx = new Receiver(log);
    const proc = await TrackerProcess.start(opts.launch, log, rx.push, rx.end, opts.handshakeMs);
    const fail = async (why: string): Promise<never> => {
      const err = new TraxError(await describe(proc, rx, why));
      await proc.stop(null);
      throw err;
    };
    const m = await rx.next(opts.handshakeMs);
    if ('failure' in m) {
      if (m.failure === 'timeout') return fail(`no TraX hello within ${secs(opts.handshakeMs)} (handshake deadline)`);
      if (m.failure === 'ended') return fail('the tracker ended before its TraX hello');
      return fail(`${m.failure}, instead of a hello`);
    }
    if (m.type !== 'hello') return fail(`the tracker's first message is '${m.type}', not 'hello'`);
    const hello = readHello(m);
    if (typeof hello === 'string') return fail(hello);
    return new TraxClient(proc, rx, hello, opts);
  }

  get log() {
    return this.proc.log;
  }

  /** The tracker process's id (its process group's too). */
  get pid(): number | undefined {
    return this.proc.pid;
  }

  get warnings(): string[] {
    return this.rx.warnings;
  }

  /** Initialises (or re-initialises) the tracker on `images` (one per channel) with `objects`. */
  async initialize(images: string[], objects: TraxObject[], props: Record<string, string> = {}, what = 'the initialisation') {
    if (objects.length === 0) throw new TraxError('no object to initialise the tracker with');
    if (objects.length > 1 && !this.hello.multiobject) {
      throw new TraxError(`${objects.length} objects given, but the tracker does not announce trax.multiobject`);
    }
    this.checkKeys(props, what);
    for (const o of objects) this.checkKeys(o.props, what);
    const regions = objects.map((o) => formatRegion(convertRegion(o.region, this.hello.regions)));
    let text = '';
    if (this.hello.version >= 4) {
      if (this.initialised) text += formatMessage('initialize');
      regions.forEach((r, i) => (text += formatMessage('initialize', [r], Object.entries(objects[i].props ?? {}))));
      text += formatMessage('frame', images, Object.entries(props));
    } else {
      text += formatMessage('initialize', [...images, regions[0]], Object.entries({ ...objects[0].props, ...props }));
    }
    this.objects = objects.length;
    const reply = await this.exchange(text, what);
    this.initialised = true;
    return reply;
  }

  /**
   * Sends one frame (one image per channel) and reads one state per object; `added` objects
   * (multi-object trackers, version 4) start on this frame.
   */
  async frame(images: string[], props: Record<string, string> = {}, what = 'a frame', added: TraxObject[] = []): Promise<TraxReply> {
    if (!this.initialised) throw new TraxError('frame before initialisation');
    this.checkKeys(props, what);
    for (const o of added) this.checkKeys(o.props, what);
    if (added.length > 0 && !this.hello.multiobject)
      throw new TraxError('objects added to a tracker that does not announce trax.multiobject');
    let text = '';
    for (const o of added)
      text += formatMessage('initialize', [formatRegion(convertRegion(o.region, this.hello.regions))], Object.entries(o.props ?? {}));
    this.objects += added.length;
    return this.exchange(text + formatMessage('frame', images, Object.entries(props)), what);
  }

  private checkKeys(props: Record<string, string> | undefined, what: string): void {
    for (const k of Object.keys(props ?? {})) {
      if (!isValidKey(k) || k === '') {
        throw new TraxError(`property key '${k}' is not a TraX key (at most 64 letters, digits, '.' or '_'), at ${what}; nothing sent`);
      }
    }
  }

  private async exchange(text: string, what: string): Promise<TraxReply> {
    if (this.closed) throw new TraxError(`the TraX session is already closed (${what})`);
    if (this.rx.pending > 0) return this.fail(`the tracker sent a message nobody asked for before ${what}`);
    if (/[^\p{ASCII}]/u.test(text)) this.sentNonAscii = true;
    const t0 = performance.now();
    this.proc.write(text);
    const states: TraxState[] = [];
    while (states.length < this.objects) {
      const m = await this.rx.next(this.opts.stepMs);
      if ('failure' in m) return this.fail(this.waitFailure(m.failure, what));
      const s = this.readState(m, what);
      if (typeof s === 'string') return this.fail(s);
      states.push(s);
    }
    return { states, seconds: (performance.now() - t0) / 1000 };
  }

  private waitFailure(failure: string, what: string): string {
    if (failure === 'timeout') return `the tracker did not answer ${what} within ${secs(this.opts.stepMs!)} (--timeout)`;
    if (failure === 'ended') return `the tracker ended while siambench waited for its answer to ${what}`;
    return `${failure}, in answer to ${what}`;
  }

  private readState(m: Message, what: string): TraxState | string {
    if (m.type === 'quit') {
      const reason = m.props.get('trax.reason');
      return `the tracker quit the session at ${what}${reason ? `: ${reason}` : ' (no reason given)'}`;
    }
    if (m.type !== 'state') return `the tracker answered ${what} with '${m.type}', not 'state'`;
    if (m.args.length !== 1) return `the tracker's state for ${what} has ${m.args.length} positional arguments, not 1`;
    const region = parseRegion(m.args[0]);
    if (region === null) return `the tracker's state for ${what} has an empty region`;
    if (typeof region === 'string') return `the tracker's state for ${what}: ${region}`;
    if (region.kind !== 'special' && !this.hello.regions.has(region.kind)) {
      return `the tracker answered ${what} with a ${region.kind}, a region type it did not announce (${[...this.hello.regions].join(', ')})`;
    }
    return { region, props: Object.fromEntries(m.props) };
  }

  private async fail(why: string): Promise<never> {
    const nonAscii = this.sentNonAscii ? ' (a request held non-ASCII bytes, which the reference TraX library cannot read)' : '';
    await this.close();
    throw new TraxError(await describe(this.proc, this.rx, why + nonAscii));
  }

  /** Ends the session: quit (unless the tracker is known to be gone), then the process group. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // With an empty trax.reason, as the reference's C++ client and trackers write it.
    await this.proc.stop(this.proc.exit ? null : formatMessage('quit', [], [['trax.reason', '']]));
  }
}

/** One line: why, how the process ended if it did, and the last lines of its output. */
async function describe(proc: TrackerProcess, rx: Receiver, why: string): Promise<string> {
  if (!proc.exit) await Promise.race([proc.exited, new Promise((ok) => setTimeout(ok, 300))]);
  const parts = [why];
  proc.drainStderr();
  if (proc.startError) return `the tracker could not start: ${proc.startError}`;
  if (proc.exit) parts.push(`the tracker ${proc.describeExit()}`);
  if (rx.nearMiss)
    parts.push(
      `a line looked like TraX but is not a message (the name must be followed by a space or the line end): ${cut(rx.nearMiss, 80)}`,
    );
  const last = proc.log.lastLines(3);
  if (last.length) parts.push(`its output ends: ${last.map((l) => cut(l, 100)).join(' | ')}`);
  return parts.join('; ');
}
