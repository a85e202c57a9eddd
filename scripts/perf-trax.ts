import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadavg } from 'node:os';
import { runMain } from '../src/core/cli-main.ts';
import { imageBox } from '../src/core/types.ts';
import { TraxClient } from '../src/trax/client.ts';
import { encodeImage } from '../src/trax/image.ts';
import { staticFactory } from '../src/trackers/base/static.ts';
import { realDataOption } from './realdata.ts';

/**
 * What TraX costs per frame (`npm run perf:trax`): siambench's client driving a static tracker (the
 * pure-Python integration, and siambench's static tracker behind `trax-server` in Node) on path
 * images, against the same static tracker in-process; and the Python one writing 200 KB of stderr
 * per frame, against its silent rate. OTB Crossing frames 1-120 repeated to --frames, as the
 * reference was measured (docs/trax.md of ../shared, section 15). Each figure is the median of
 * --runs; "loop" is the sum of the client-seen frame times (frame written to state read), "wall"
 * the whole session: process start, hello, frames, quit and teardown.
 */
const REPO = resolve(import.meta.dirname, '..');

interface Figures {
  wallS: number;
  loopS: number;
  /** CPU seconds of siambench (this process) and of the tracker process over the frames. */
  clientCpuS: number;
  trackerCpuS: number;
}

/** User + system CPU seconds of a process so far (Linux /proc; clock ticks of 10 ms). */
function cpuOf(pid: number | undefined): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}

const ownCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function session(command: string[], env: Record<string, string>, paths: string[]): Promise<Figures> {
  const t0 = performance.now();
  const client = await TraxClient.open({
    launch: { command, cwd: REPO, env: { ...(process.env as Record<string, string>), ...env }, socket: false, logCap: 1 << 20 },
    handshakeMs: 60_000,
    stepMs: 60_000,
  });
  const region = { kind: 'rectangle' as const, x: 204, y: 150, width: 17, height: 50 };
  const c0 = ownCpu();
  const k0 = cpuOf(client.pid);
  let loop = (await client.initialize([await encodeImage('path', paths[0])], [{ region }])).seconds;
  for (const p of paths.slice(1)) loop += (await client.frame([await encodeImage('path', p)])).seconds;
  const clientCpuS = ownCpu() - c0;
  const trackerCpuS = cpuOf(client.pid) - k0;
  await client.close();
  return { wallS: (performance.now() - t0) / 1000, loopS: loop, clientCpuS, trackerCpuS };
}

async function inProcess(paths: string[]): Promise<Figures> {
  const t0 = performance.now();
  const t = await staticFactory.create({});
  const frame = (i: number) => ({ index: i, path: paths[i], width: 360, height: 240, data: new Uint8Array(0) });
  await t.init(frame(0), imageBox([204, 150, 17, 50]));
  for (let i = 1; i < paths.length; i++) await t.update(frame(i));
  const s = (performance.now() - t0) / 1000;
  return { wallS: s, loopS: s, clientCpuS: s, trackerCpuS: 0 };
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

async function measure(name: string, runs: number, run: () => Promise<Figures>, frames: number) {
  const all: Figures[] = [];
  for (let i = 0; i < runs; i++) all.push(await run());
  const wall = median(all.map((f) => f.wallS));
  const loop = median(all.map((f) => f.loopS));
  const ms = (k: keyof Figures) => (1000 * median(all.map((f) => f[k]))) / frames;
  return {
    name,
    wall,
    loop,
    fpsWall: frames / wall,
    fpsLoop: frames / loop,
    msPerFrame: (1000 * loop) / frames,
    clientCpuMs: ms('clientCpuS'),
    trackerCpuMs: ms('trackerCpuS'),
  };
}

async function main(): Promise<void> {
  const program = new Command('npm run perf:trax --')
    .option('--frames <n>', 'frames per session', (v) => Number(v), 300)
    .option('--runs <n>', 'sessions per configuration (the median is printed)', (v) => Number(v), 3)
    .addOption(realDataOption('--frames-dir <dir>', 'OTB Crossing frames', 'frames', 'otb', 'Crossing', 'img'));
  const opts = program.parse(process.argv).opts<{ frames: number; runs: number; framesDir: string }>();
  const crossing = opts.framesDir;
  const paths = Array.from({ length: opts.frames }, (_, i) => join(crossing, `${String((i % 120) + 1).padStart(4, '0')}.jpg`));
  const python = ['python3', join(REPO, 'test', 'fixtures', 'trax', 'fault_tracker.py')];
  const node = [process.execPath, '--import', 'tsx', join(REPO, 'src', 'cli', 'trax-server.ts'), '--tracker', 'static'];
  const rows = [
    await measure('static, in-process (no TraX)', opts.runs, () => inProcess(paths), opts.frames),
    await measure('static, Node (trax-server), stdio', opts.runs, () => session(node, {}, paths), opts.frames),
    await measure('static, Python integration, stdio', opts.runs, () => session(python, { FAULT: 'none' }, paths), opts.frames),
    await measure('static, Python, 200 KB stderr per frame', opts.runs, () => session(python, { FAULT: 'stderr' }, paths), opts.frames),
  ];
  console.log(
    `${opts.frames} frames (OTB Crossing 1-120 repeated), path images, median of ${opts.runs} run(s); load average ${loadavg()[0].toFixed(1)}`,
  );
  console.log(
    'configuration                              wall s   fps (wall)   fps (loop)   ms/frame (loop)   CPU ms/frame: siambench, tracker',
  );
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(42)} ${r.wall.toFixed(3).padStart(6)} ${r.fpsWall.toFixed(0).padStart(12)} ${r.fpsLoop.toFixed(0).padStart(12)} ${r.msPerFrame.toFixed(4).padStart(17)} ${r.clientCpuMs.toFixed(3).padStart(14)} ${r.trackerCpuMs.toFixed(3).padStart(8)}`,
    );
  }
  const [bare, , py, flood] = rows;
  console.log(
    `overhead per frame over TraX (Python, loop, minus in-process): ${(py.msPerFrame - bare.msPerFrame).toFixed(4)} ms (goal < 0.5 ms)`,
  );
  console.log(`200 KB stderr per frame: ${((100 * flood.fpsLoop) / py.fpsLoop).toFixed(0)} % of the silent loop rate (goal >= 80 %)`);
}

runMain(main);
