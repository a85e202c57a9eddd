import { connect } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { type Channel, type ImageType } from './hello.ts';
import { LineSplitter, type Message, formatMessage, parseLine } from './message.ts';
import { type Region, type RegionKind, formatRegion, parseRegion } from './region.ts';

/**
 * The tracker side of TraX, version 4 (and the version 1-3 single `initialize` with the image in
 * it): hello first, then requests in, states out. The reference's grouping of version 4 is kept:
 * `initialize` messages (an argument-less one forgets every object) collect objects, the `frame`
 * that follows is the request.
 */
export interface ServerCapabilities {
  name: string;
  description: string;
  family: string;
  images: ImageType[];
  regions: RegionKind[];
  channels: Channel[];
  multiobject: boolean;
}

export interface ServerObject {
  region: Region;
  props: Record<string, string>;
}

export type ServerRequest =
  | { type: 'initialize' | 'frame'; images: string[]; objects: ServerObject[]; props: Record<string, string> }
  | { type: 'quit'; props: Record<string, string> };

export class TraxServer {
  private readonly queue: (Message | string)[] = [];
  private wake: (() => void) | undefined;
  private ended = false;
  private known = 0;

  constructor(
    private readonly caps: ServerCapabilities,
    input: Readable,
    private readonly output: Writable,
  ) {
    const splitter = new LineSplitter((line) => {
      const m = parseLine(line.replace(/\r$/, ''));
      if (m === null) return;
      this.queue.push('malformed' in m ? `a malformed TraX line (${m.malformed})` : m);
      this.wake?.();
    });
    input.setEncoding('utf8');
    input.on('data', (s: string) => splitter.push(s));
    input.on('end', () => {
      splitter.end();
      this.ended = true;
      this.wake?.();
    });
    const props: [string, string][] = [
      ['trax.version', '4'],
      ['trax.name', caps.name],
      ['trax.description', caps.description],
      ['trax.family', caps.family],
      ['trax.image', caps.images.join(';') + ';'],
      ['trax.region', caps.regions.join(';') + ';'],
      ['trax.channels', caps.channels.join(';') + ';'],
    ];
    if (caps.multiobject) props.push(['trax.multiobject', '1']);
    this.output.write(formatMessage('hello', [], props));
  }

  /** On TRAX_SOCKET's port when it is set (the client listens), else on stdin and stdout. */
  static async open(caps: ServerCapabilities): Promise<TraxServer> {
    const port = process.env.TRAX_SOCKET;
    if (!port) return new TraxServer(caps, process.stdin, process.stdout);
    const sock = connect(Number.parseInt(port, 10), '127.0.0.1');
    await new Promise<void>((ok, fail) => sock.once('connect', ok).once('error', fail));
    sock.setNoDelay(true);
    return new TraxServer(caps, sock, sock);
  }

  private async next(): Promise<Message | string | null> {
    for (;;) {
      const m = this.queue.shift();
      if (m !== undefined) return m;
      if (this.ended) return null;
      await new Promise<void>((ok) => (this.wake = ok));
      this.wake = undefined;
    }
  }

  private object(text: string, props: Map<string, string>): ServerObject {
    const region = parseRegion(text);
    if (region === null || typeof region === 'string') throw new Error(region ?? 'an empty region');
    return { region, props: Object.fromEntries(props) };
  }

  /** The next request; a protocol error is thrown (the caller then quits with its reason). */
  async wait(): Promise<ServerRequest> {
    const objects: ServerObject[] = [];
    let reset = false;
    for (;;) {
      const m = await this.next();
      if (m === null) return { type: 'quit', props: {} };
      if (typeof m === 'string') throw new Error(m);
      const props = Object.fromEntries(m.props);
      if (m.type === 'quit') return { type: 'quit', props };
      if (m.type === 'initialize' && m.args.length > 1) {
        // Versions 1-3: the images, then the region, in one message.
        this.known = 1;
        const images = this.images(m.args.slice(0, -1));
        return { type: 'initialize', images, objects: [this.object(m.args.at(-1)!, m.props)], props };
      }
      if (m.type === 'initialize') {
        if (m.args.length === 0) {
          reset = true;
          this.known = 0;
        } else objects.push(this.object(m.args[0], m.props));
        continue;
      }
      if (m.type !== 'frame') throw new Error(`unexpected '${m.type}' message`);
      const first = this.known === 0 || reset;
      this.known += objects.length;
      if (this.known === 0) throw new Error('No object was given to track');
      if (this.known > 1 && !this.caps.multiobject) throw new Error('more than one object for a single-object tracker');
      return { type: first ? 'initialize' : 'frame', images: this.images(m.args), objects, props };
    }
  }

  private images(args: string[]): string[] {
    if (args.length !== this.caps.channels.length) throw new Error(`${args.length} images for ${this.caps.channels.length} channel(s)`);
    return args;
  }

  /** One state per object, in object order. */
  status(states: { region: Region; props?: Record<string, string> }[]): void {
    let text = '';
    for (const s of states) text += formatMessage('state', [formatRegion(s.region)], Object.entries(s.props ?? {}));
    this.output.write(text);
  }

  quit(reason?: string): void {
    this.output.write(formatMessage('quit', [], reason ? [['trax.reason', reason]] : []));
  }
}
