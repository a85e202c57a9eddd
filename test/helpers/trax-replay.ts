import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type TraxObject, TraxClient, type TraxReply } from '../../src/trax/client.ts';
import { encodeImage } from '../../src/trax/image.ts';
import type { ImageType } from '../../src/trax/hello.ts';
import { type Message, parseLine } from '../../src/trax/message.ts';
import { type Region, parseRegion } from '../../src/trax/region.ts';
import { real } from './realdata.ts';

/**
 * Drives siambench's TraX client the way a recorded session's client drove the reference tracker
 * (traxclient's command line, or the Python driver's plan), against a process replaying that tracker.
 */
const REPLAY = resolve(fileURLToPath(new URL('../fixtures/trax/replay.mjs', import.meta.url)));
export const FRAMES = real('frames');

export interface Session {
  name: string;
  client_command?: string[];
  driver_plan?: Plan;
  images_txt?: string[];
  groundtruth_txt?: string[];
  environment: Record<string, string>;
  observed: Record<string, unknown> & { output_file?: string[] };
}

interface Plan {
  image_type: ImageType;
  frames: string[];
  steps: {
    op: 'initialize' | 'frame';
    frame: number;
    objects?: [Record<string, unknown>, Record<string, string>][];
    properties?: Record<string, string>;
  }[];
  socket?: boolean;
}

export function loadSession(name: string): Session {
  return JSON.parse(readFileSync(real('trax', `${name}.json`), 'utf8')) as Session;
}

const unplace = (s: string) => s.replaceAll('{FRAMES}', FRAMES);

/** The messages of a byte stream, non-messages dropped (as the reference reader drops them). */
export function messages(text: string): Message[] {
  return text
    .split('\n')
    .map((l) => parseLine(l.replace(/\r$/, '')))
    .filter((m): m is Message => m !== null && !('malformed' in m));
}

export interface ReplayResult {
  client: TraxClient | null;
  replies: TraxReply[];
  error: string | null;
  sent: Message[];
  recorded: Message[];
}

function option(cmd: string[], flag: string): string[] {
  return cmd.flatMap((a, i) => (cmd[i - 1] === flag ? [a] : []));
}

function objectRegion(o: Record<string, unknown>): Region {
  if (o.rect) {
    const [x, y, width, height] = o.rect as number[];
    return { kind: 'rectangle', x, y, width, height };
  }
  if (o.poly) return { kind: 'polygon', points: o.poly as number[] };
  const rows = o.mask as number[][];
  const flat = rows.flat();
  const runs: number[] = [];
  let cur = 0,
    n = 0;
  for (const v of flat) {
    if ((v ? 1 : 0) === cur) n++;
    else {
      runs.push(n);
      cur = 1 - cur;
      n = 1;
    }
  }
  if (cur === 1) runs.push(n);
  return { kind: 'mask', x: o.x as number, y: o.y as number, width: rows[0].length, height: rows.length, runs };
}

/** Replays `session` with siambench's client; `end` says what the recorded tracker did at its end. */
export async function replay(s: Session, end = 'quit', states: number[] = []): Promise<ReplayResult> {
  const dir = mkdtempSync(join(tmpdir(), 'siambench-trax-'));
  const cmd = s.client_command ?? [];
  const timeout = option(cmd, '-t')[0];
  const stderr = real('trax', `${s.name}.tracker-stderr.txt`);
  const socket = cmd.includes('-X') || !!s.driver_plan?.socket;
  const client = await TraxClient.open({
    launch: {
      command: [process.execPath, REPLAY],
      cwd: dir,
      env: {
        ...process.env,
        ...s.environment,
        REPLAY_T2C: real('trax', `${s.name}.tracker-to-client.txt`),
        REPLAY_LOG: join(dir, 'sent.txt'),
        REPLAY_END: end,
        REPLAY_STATES: states.join(','),
        ...(existsSync(stderr) ? { REPLAY_STDERR: stderr } : {}),
      } as Record<string, string>,
      socket,
      logCap: 1 << 20,
    },
    handshakeMs: 30_000,
    stepMs: timeout ? Number(timeout) * 1000 : 30_000,
  }).catch((e: Error) => e);
  const result: ReplayResult = { client: null, replies: [], error: null, sent: [], recorded: [] };
  if (client instanceof Error) result.error = client.message;
  else {
    result.client = client;
    try {
      if (s.driver_plan) await drivePlan(client, s.driver_plan, result.replies);
      else if (!cmd.includes('-Q')) await driveTraxclient(client, s, cmd, result.replies);
    } catch (e) {
      result.error = (e as Error).message;
    }
    await client.close();
  }
  result.sent = messages(readFileOr(join(dir, 'sent.txt')));
  result.recorded = messages(unplace(readFileSync(real('trax', `${s.name}.client-to-tracker.txt`), 'latin1')));
  return result;
}

function readFileOr(p: string): string {
  try {
    return readFileSync(p, 'latin1');
  } catch {
    return '';
  }
}

async function driveTraxclient(client: TraxClient, s: Session, cmd: string[], replies: TraxReply[]) {
  const props = Object.fromEntries(option(cmd, '-p').map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
  const frames = s.images_txt!.map((l) => unplace(l).split(';'));
  const images = async (i: number) => Promise.all(frames[i].map((p) => encodeImage('path', p)));
  const region = parseRegion(s.groundtruth_txt![0]) as Region;
  replies.push(await client.initialize(await images(0), [{ region }], props, 'frame 1'));
  for (let i = 1; i < frames.length; i++) replies.push(await client.frame(await images(i), {}, `frame ${i + 1}`));
}

async function drivePlan(client: TraxClient, plan: Plan, replies: TraxReply[]) {
  const paths = plan.frames.map(unplace);
  for (const step of plan.steps) {
    // URL images go verbatim; the recorded driver named each frame on a local web server.
    const image =
      plan.image_type === 'url'
        ? `http://127.0.0.1:8/${basename(paths[step.frame])}`
        : await encodeImage(plan.image_type, paths[step.frame]);
    const objects: TraxObject[] = (step.objects ?? []).map(([r, props]) => ({ region: objectRegion(r), props }));
    const what = `frame ${step.frame + 1}`;
    replies.push(
      step.op === 'initialize'
        ? await client.initialize([image], objects, step.properties ?? {}, what)
        : await client.frame([image], step.properties ?? {}, what, objects),
    );
  }
}
