import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { type ImageBox, imageBox } from '../../core/types.ts';
import { TraxClient, TraxError, type TraxReply } from '../../trax/client.ts';
import { encodeImage, pickImageType } from '../../trax/image.ts';
import { boundingBox } from '../../trax/region.ts';
import type { Frame, Tracker, TrackerOutput } from '../base/tracker.ts';
import type { TraxDefinition } from './definition.ts';

/**
 * A tracker process spoken to over TraX, as a siambench Tracker. Boxes go out and come back as TraX
 * rectangles in the VOT toolkit's 0-based pixel coordinates (siambench's image boxes). The process
 * is started at the first init, reused for re-initialisations, and restarted for each one when the
 * definition says `restart` or the tracker uses the VOT wrapper (hello property `vot`), as the
 * toolkit does.
 */
export interface TraxRunSettings {
  /** Deadline of each initialisation and frame (--timeout's frame part); null: none. */
  stepMs: number | null;
  handshakeMs: number;
  /** Where each process's output log goes; null: kept in memory only. */
  logDir: string | null;
  logCap: number;
}

const NO_BOX = imageBox([NaN, NaN, NaN, NaN]);

/** The sequence a frame belongs to, for naming logs: its folder, or the folder above img/color. */
function sequenceOf(path: string): string {
  const dir = dirname(path);
  return ['img', 'color'].includes(basename(dir)) ? basename(dirname(dir)) : basename(dir);
}

export class TraxTracker implements Tracker {
  private client: TraxClient | undefined;
  private cwd: string | undefined;
  private processes = 0;
  private readonly logs: string[] = [];
  private warnings = new Set<string>();
  private overheadMs = 0;
  private frames = 0;
  private sequence = 'unknown';

  constructor(
    private readonly def: TraxDefinition,
    private readonly settings: TraxRunSettings,
  ) {}

  private async start(): Promise<TraxClient> {
    const cwd = this.def.cwd ?? (this.cwd = mkdtempSync(join(tmpdir(), 'siambench-trax-')));
    const client = await TraxClient.open({
      launch: {
        command: this.def.command,
        cwd,
        env: { ...process.env, ...this.def.env } as Record<string, string>,
        socket: this.def.socket,
        logCap: this.settings.logCap,
      },
      handshakeMs: this.settings.handshakeMs,
      stepMs: this.def.timeoutMs ?? this.settings.stepMs,
    }).catch((err: Error) => {
      throw new TraxError(`${this.def.name}: ${err.message}`);
    });
    this.processes++;
    const { hello } = client;
    if (hello.channels.some((c) => c !== 'color')) {
      await this.stop(client);
      throw new TraxError(
        `${this.def.name}: the tracker asks for ${hello.channels.join('+')} images; the benchmark has colour frames only`,
      );
    }
    return client;
  }

  private async stop(client: TraxClient): Promise<void> {
    await client.close();
    for (const w of client.warnings) this.warnings.add(w);
    if (this.settings.logDir && client.log.text() !== '') {
      const file = join(this.settings.logDir, this.def.name, `${this.sequence}.${process.pid}-${Date.now()}-${this.processes}.log`);
      await client.log.save(file);
      this.logs.push(file);
    }
  }

  private async images(client: TraxClient, frame: Frame): Promise<string[]> {
    return [await encodeImage(pickImageType(client.hello.images), frame.path)];
  }

  /** Runs one exchange, naming the tracker in its failure and keeping the time the client saw. */
  private async step(frame: Frame, run: (c: TraxClient, images: string[]) => Promise<TraxReply>): Promise<TraxReply> {
    const client = this.client!;
    try {
      const t0 = performance.now();
      const reply = await run(client, await this.images(client, frame));
      // Everything but the tracker's own time: encoding, writing, parsing.
      this.overheadMs += performance.now() - t0 - reply.seconds * 1000;
      this.frames++;
      return reply;
    } catch (err) {
      this.client = undefined;
      await this.stop(client).catch(() => {});
      throw err instanceof TraxError ? new TraxError(`${this.def.name}: ${err.message}`) : err;
    }
  }

  async init(frame: Frame, box: ImageBox): Promise<void> {
    this.sequence = sequenceOf(frame.path);
    if (this.client && (this.def.restart || this.client.hello.custom.vot !== undefined)) {
      await this.stop(this.client);
      this.client = undefined;
    }
    this.client ??= await this.start();
    const region = { kind: 'rectangle' as const, x: box[0], y: box[1], width: box[2], height: box[3] };
    await this.step(frame, (c, images) => c.initialize(images, [{ region }], {}, `frame ${frame.index + 1} (initialisation)`));
  }

  async update(frame: Frame): Promise<TrackerOutput> {
    if (!this.client) throw new TraxError(`${this.def.name}: update before init`);
    const reply = await this.step(frame, (c, images) => c.frame(images, {}, `frame ${frame.index + 1}`));
    const state = reply.states[0];
    const b = boundingBox(state.region);
    const confidence = Number(state.props.confidence);
    return { box: b ? imageBox(b) : NO_BOX, ...(Number.isFinite(confidence) ? { confidence } : {}), seconds: reply.seconds };
  }

  /** Ends the process (quit, grace, SIGTERM, SIGKILL) and saves its log. */
  async dispose(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await this.stop(client).catch(() => {});
    if (this.cwd) rmSync(this.cwd, { recursive: true, force: true });
  }

  describe(): Record<string, unknown> {
    return {
      kind: 'trax',
      definition: {
        source: this.def.source,
        label: this.def.label,
        command: this.def.command,
        restart: this.def.restart,
        socket: this.def.socket,
      },
      processes: this.processes,
      protocolOverheadMsPerFrame: this.frames > 0 ? +(this.overheadMs / this.frames).toFixed(4) : null,
      warnings: [...this.warnings],
    };
  }
}
