import { Command } from 'commander';
import sharp from 'sharp';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain } from '../src/core/cli-main.ts';
import type { ImageBox } from '../src/core/types.ts';
import { decodeRgb } from '../src/images/decode.ts';
import { meanColour, samplePatch } from '../src/images/sample.ts';
import { FrameReader } from '../src/runner/frames.ts';
import type { FeatureMaps, SiamfcEngine } from '../src/trackers/siamfc/engine.ts';
import type { Frame } from '../src/trackers/base/tracker.ts';
import { modelsRoot } from '../src/trackers/siamfc/factory.ts';
import { readModelWeights } from '../src/trackers/siamfc/model-weights.ts';
import { OrtEngine } from '../src/trackers/siamfc/ort-engine.ts';
import { contextSizes, cropWindow, targetOfBox } from '../src/trackers/siamfc/geometry.ts';
import { SIAMFC_3S } from '../src/trackers/siamfc/settings.ts';
import { SiamfcTracker } from '../src/trackers/siamfc/siamfc-tracker.ts';
import { REAL_SEQUENCE_PARTS, FRAME_H, FRAME_W, readRealSequence, truth, writeSequence } from './speed-sequence.ts';
import { realDataOption } from './realdata.ts';

/**
 * Everything of a SiamFC-3s frame except the network, per frame: decode (one JPEG awaited alone,
 * and the wait for it when frames are read ahead as the runner reads them), crop (the 3 search
 * crops of 255) and post-processing (upsampling, scale choice, window, peak, geometry). SiamFC-3s
 * keeps its first template, so the totals leave out the exemplar crop of 127 at the current target
 * printed beside them: what a tracker that refreshes its template would add. The network is a stub returning a moving
 * bump, so that no engine threads compete with these stages (--ort: the committed quarter-width
 * model on ONNX Runtime, for real response maps and the real neighbourhood). The machine is
 * shared, so each figure is the median over runs of the per-run mean, with the smallest run (the
 * least disturbed) beside it, and CPU milliseconds, which waiting for a core does not inflate.
 */
/** Responses with a bump that wanders a little and a scale preference that changes per frame. */
class StubEngine implements SiamfcEngine {
  readonly name = 'stub';
  readonly exemplarSize = 127;
  readonly instanceSize = 255;
  readonly responseSize = 17;
  private calls = 0;

  async embedExemplar(_crops: Float32Array, n: number): Promise<FeatureMaps> {
    return { data: new Float32Array(36), shape: [n, 6, 6, 1] };
  }

  async respond(_ex: FeatureMaps, _crops: Float32Array, n: number): Promise<Float32Array> {
    const i = this.calls++;
    const out = new Float32Array(n * 289);
    const [pr, pc] = [8 + 1.5 * Math.sin(i / 3), 8 + 1.5 * Math.cos(i / 4)];
    for (let k = 0; k < n; k++) {
      const gain = 1 + 0.03 * Math.sin(i + 2 * k);
      for (let r = 0; r < 17; r++)
        for (let c = 0; c < 17; c++) out[k * 289 + r * 17 + c] = gain * Math.exp(-((r - pr) ** 2 + (c - pc) ** 2) / 6) - 0.5;
    }
    return out;
  }

  dispose(): void {}
}

interface RunFigures {
  decode: number;
  decodeCpu: number;
  wait: number;
  crop: number;
  exemplar: number;
  post: number;
  trackCpu: number; // crop + post + exemplar crop (and the network, with --ort)
  network: number;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
}

async function oneRun(paths: string[], first: ImageBox, engine: SiamfcEngine): Promise<RunFigures> {
  let decode = 0;
  let decodeCpu = 0;
  const frames: Frame[] = [];
  for (const [index, path] of paths.entries()) {
    const [t0, c0] = [performance.now(), process.cpuUsage()];
    frames.push({ index, path, ...(await decodeRgb(path)) });
    decode += performance.now() - t0;
    decodeCpu += cpuMs(c0);
  }
  const s = SIAMFC_3S;
  const z = new Float32Array(s.exemplarSize ** 2 * 3);
  const fill = meanColour(frames[0]);
  const tracker = new SiamfcTracker(engine, s);
  await tracker.init(frames[0], first);
  let exemplar = 0;
  const c0 = process.cpuUsage();
  for (const f of frames.slice(1)) {
    const t = targetOfBox((await tracker.update(f)).box);
    // An exemplar crop where the target now is: what a tracker that refreshes its template pays.
    const win = cropWindow(t.cx, t.cy, contextSizes(t.w, t.h, s).zSize, s.exemplarSize);
    const t0 = performance.now();
    samplePatch(f, fill, z, 0, s.exemplarSize, win.x0, win.y0, win.step);
    exemplar += performance.now() - t0;
  }
  const trackCpu = cpuMs(c0);
  // The same tracking with frames read ahead, as the runner reads them: what is left of decoding.
  const reader = new FrameReader(paths, true);
  const ahead = new SiamfcTracker(engine, s);
  await ahead.init(await reader.get(0), first);
  reader.waitMs = 0;
  for (let i = 1; i < paths.length; i++) await ahead.update(await reader.get(i));
  const n = tracker.times.frames;
  const { crop, post, network } = tracker.times;
  return {
    decode: decode / paths.length,
    decodeCpu: decodeCpu / paths.length,
    wait: reader.waitMs / n,
    crop: crop / n,
    exemplar: exemplar / n,
    post: post / n,
    trackCpu: trackCpu / n,
    network: network / n,
  };
}

/** What one sharp call costs beyond decoding: an 8 x 8 JPEG. */
async function sharpOverhead(dir: string, runs: number): Promise<number> {
  const path = join(dir, 'tiny.jpg');
  await sharp(Buffer.alloc(8 * 8 * 3, 128), { raw: { width: 8, height: 8, channels: 3 } })
    .jpeg()
    .toFile(path);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await decodeRgb(path);
    times.push(performance.now() - t0);
  }
  return median(times.slice(5));
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const ms = (v: number) => v.toFixed(2).padStart(7);

async function report(label: string, paths: string[], first: ImageBox, runs: number, engine: SiamfcEngine): Promise<void> {
  await oneRun(paths.slice(0, 4), first, engine); // the JIT settles
  process.stdout.write(`\n${label}: ${paths.length} frames per run, ${runs} runs (load average ${loadavg()[0].toFixed(2)} at start)\n`);
  const head = (cells: string[]) =>
    `${''.padEnd(6)}${cells
      .slice(0, 5)
      .map((c) => c.padStart(7))
      .join('')}  |${cells
      .slice(5, 7)
      .map((c) => c.padStart(7))
      .join('')}  |${cells
      .slice(7, 9)
      .map((c) => c.padStart(11))
      .join('')}  |${cells[9].padStart(8)}\n`;
  process.stdout.write(head(['decode', 'decode', 'crop', '+crop', 'post', 'total', 'total', 'CPU ms', 'CPU ms', 'network']));
  process.stdout.write(head(['alone', 'waited', '3x255', '127', '', 'alone', 'ahead', 'decode', 'crop+post', '']));
  const all: RunFigures[] = [];
  const row = (name: string, f: RunFigures) => {
    const alone = f.decode + f.crop + f.post;
    const ahead = f.wait + f.crop + f.post;
    return `${name.padEnd(6)}${ms(f.decode)}${ms(f.wait)}${ms(f.crop)}${ms(f.exemplar)}${ms(f.post)}  |${ms(alone)}${ms(ahead)}  |    ${ms(f.decodeCpu)}    ${ms(f.trackCpu)}  | ${ms(f.network)}\n`;
  };
  for (let r = 0; r < runs; r++) {
    const f = await oneRun(paths, first, engine);
    all.push(f);
    process.stdout.write(row(String(r + 1), f));
  }
  const pick = (how: (v: number[]) => number) =>
    Object.fromEntries(Object.keys(all[0]).map((k) => [k, how(all.map((f) => f[k as keyof RunFigures]))])) as unknown as RunFigures;
  process.stdout.write(row('median', pick(median)));
  process.stdout.write(
    row(
      'min',
      pick((v) => Math.min(...v)),
    ),
  );
  process.stdout.write(
    'ms per frame. total: decode (alone, or the wait left when read ahead) + 3 crops of 255 + post, a SiamFC-3s frame;\n' +
      '+crop 127: what refreshing the template would add (not in the totals); CPU ms: of the process (crop+post: with the exemplar\n' +
      'crop and, with --ort, the network), which waiting for a core does not add to; min: the least disturbed run of each column\n',
  );
}

async function main(): Promise<void> {
  const o = new Command()
    .name('npm run perf:frame --')
    .description('SiamFC-3s decode, crop and post-processing per frame, without the network')
    .option('--frames <n>', 'frames per sequence', (v) => Math.max(4, Number.parseInt(v, 10) || 0), 41)
    .option('--runs <n>', 'runs per sequence (the median is reported)', (v) => Math.max(1, Number.parseInt(v, 10) || 0), 5)
    .option('--ort', 'the committed quarter-width model on ONNX Runtime instead of a stub network')
    .addOption(
      realDataOption('--real <dir>', 'an OTB sequence folder (img/*.jpg, groundtruth_rect.txt) to time as well', ...REAL_SEQUENCE_PARTS),
    )
    .parse()
    .opts<{ frames: number; runs: number; real: string; ort?: boolean }>();
  const tmp = await mkdtemp(join(tmpdir(), 'siambench-frame-'));
  const engine = !o.ort
    ? new StubEngine()
    : await OrtEngine.create(await readModelWeights(join(modelsRoot(), 'siamfc')), { device: 'cpu', threads: availableParallelism() });
  try {
    process.stdout.write(`network: ${engine.name} (not part of the totals)\n`);
    process.stdout.write(
      `${availableParallelism()} cores, sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips}), sharp.concurrency ${sharp.concurrency()}\n`,
    );
    process.stdout.write(`one sharp decode of an 8x8 JPEG (per-call overhead): ${(await sharpOverhead(tmp, 105)).toFixed(2)} ms\n`);
    await report(
      `synthetic ${FRAME_W}x${FRAME_H} JPEG (as perf:speed)`,
      await writeSequence(join(tmp, 'img'), o.frames),
      truth(0),
      o.runs,
      engine,
    );
    const real = await readRealSequence(o.real, o.frames);
    if (real) await report(`real frames of ${o.real}`, real.paths, real.box, o.runs, engine);
    else process.stdout.write(`\n(no real sequence at ${o.real}: synthetic frames only)\n`);
  } finally {
    engine.dispose();
    await rm(tmp, { recursive: true, force: true });
  }
}

runMain(main);
