import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOtb } from '../src/benchmarks/otb/dataset/index.ts';
import { flattenBoxes } from '../src/benchmarks/otb/eval/align.ts';
import { CONVENTIONS, measureFrames } from '../src/benchmarks/otb/metrics/conventions.ts';
import { sequenceScores } from '../src/benchmarks/otb/metrics/curves.ts';
import { SUCCESS_THRESHOLDS_MATLAB } from '../src/benchmarks/otb/metrics/thresholds.ts';
import { imageToToolkit, type ToolkitBox, toolkitBox, toolkitToImage, type Xywh } from '../src/core/types.ts';
import { decodeRgb } from '../src/images/decode.ts';
import type { Frame } from '../src/trackers/base/tracker.ts';
import { type ModelWeights, readModelWeights } from '../src/trackers/siamfc/model-weights.ts';
import { OrtEngine } from '../src/trackers/siamfc/ort-engine.ts';
import { SIAMFC_3S, type SiamfcSettings } from '../src/trackers/siamfc/settings.ts';
import { SiamfcTracker } from '../src/trackers/siamfc/siamfc-tracker.ts';
import { importTflite } from '../src/trackers/siamfc/tflite-import.ts';

/**
 * Issue 9 item 3: what each detail in which the MATLAB SiamFC differs from a naive port changes on
 * the four real OTB sequences of ../shared/realdata, with the original SiamFC-3s weights imported
 * from TFLite. Prints per configuration and sequence the success AUC and precision@20 (OTB toolkit
 * rules) and the mean per-frame IoU to the published SiamFC-3s boxes on the same frames.
 *
 *   npx tsx scripts/siamfc-details.ts [--only name,name] [--threads n]
 *
 * Configurations (docs/siamfc-tracker.md): ours (the defaults), each detail alone, all together.
 */
const here = dirname(fileURLToPath(import.meta.url));
const REALDATA = process.env.SIAMBENCH_REALDATA ?? resolve(here, '..', '..', 'shared', 'realdata');
const SEQUENCES = ['Couple', 'Crossing', 'Football1', 'MotorRolling'];

interface Config {
  name: string;
  what: string;
  settings: Partial<SiamfcSettings>;
  /** Runs the network with head/bias 0: the scale penalty then scales scores above the bias. */
  zeroBias?: boolean;
}

const MATLAB: Partial<SiamfcSettings> = {
  displacement: 'unscaled',
  pyramid: 'one-crop',
  cropInterpolation: 'bicubic',
  responseInterpolation: 'matlab',
};

const CONFIGS: Config[] = [
  { name: 'ours', what: 'the defaults (SIAMFC_3S)', settings: {} },
  { name: 'a:unscaled', what: '(a) displacement on the unscaled search side (MATLAB)', settings: { displacement: 'unscaled' } },
  { name: 'a:damped', what: '(a) displacement on the damped new search side (siamfc-tf)', settings: { displacement: 'damped' } },
  { name: 'b:one-crop', what: '(b) MATLAB pyramid: one whole-pixel crop, resized, cut per scale', settings: { pyramid: 'one-crop' } },
  { name: 'c:bicubic', what: '(c) crops resized bicubic, antialiased (imresize)', settings: { cropInterpolation: 'bicubic' } },
  { name: 'd:bias0', what: '(d) penalty on scores above the bias (head/bias 0)', settings: {}, zeroBias: true },
  { name: 'e:resp-matlab', what: '(e) response upsampled as imresize (a -0.5, mirrored)', settings: { responseInterpolation: 'matlab' } },
  { name: 'b+c', what: 'MATLAB crops: (b) and (c)', settings: { pyramid: 'one-crop', cropInterpolation: 'bicubic' } },
  { name: 'matlab', what: 'all MATLAB choices: (a) unscaled, (b), (c), (e); bias kept as MATLAB does', settings: MATLAB },
];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Overlap of two x, y, w, h boxes in the same continuous coordinates. */
function iou(a: Xywh, b: Xywh): number {
  const iw = Math.max(0, Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]));
  const ih = Math.max(0, Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]));
  const inter = iw * ih;
  return inter / (a[2] * a[3] + b[2] * b[3] - inter);
}

const readBoxes = (file: string): ToolkitBox[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split(/\r?\n/)
    .map((l) => toolkitBox(l.split(/[,\s]+/).map(Number) as Xywh));

interface Row {
  auc: number;
  precision: number;
  iouPub: number;
}

function score(gt: ToolkitBox[], boxes: ToolkitBox[], published: ToolkitBox[]): Row {
  const m = measureFrames(flattenBoxes(gt), flattenBoxes(boxes), CONVENTIONS.otb);
  const s = sequenceScores(m.iou, m.centre, m.normCentre, SUCCESS_THRESHOLDS_MATLAB, gt.length);
  const n = Math.min(boxes.length, published.length);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += iou(boxes[i], published[i]);
  return { auc: s.successAuc, precision: s.precision20, iouPub: sum / n };
}

function withZeroBias(w: ModelWeights): ModelWeights {
  const tensors = new Map(w.tensors);
  const bias = tensors.get('head/bias');
  if (!bias) throw new Error('the imported model has no head/bias');
  tensors.set('head/bias', { ...bias, data: Float32Array.of(0) });
  return { ...w, tensors };
}

type Sequence = { name: string; gt: ToolkitBox[]; frames: Frame[]; published: ToolkitBox[] };

/** The four sequences' frames, ground truth and the published SiamFC-3s boxes. */
async function loadSequences(): Promise<Sequence[]> {
  const ds = await loadOtb('OTB100', join(REALDATA, 'frames', 'otb'));
  const pubDir = join(REALDATA, 'results', 'OTB100', 'cfnet-release', 'SiamFC-3s');
  return Promise.all(
    SEQUENCES.map(async (name) => {
      const target = ds.targets.find((t) => t.name === name);
      if (!target?.images) throw new Error(`${name}: no images under ${ds.root}`);
      const frames: Frame[] = await Promise.all(target.images.map(async (path, index) => ({ index, path, ...(await decodeRgb(path)) })));
      return { name, gt: target.groundTruth, frames, published: readBoxes(join(pubDir, `${name}.txt`)) };
    }),
  );
}

/** One configuration over every sequence, from the first ground-truth box; a line of progress on stderr. */
async function trackConfig(engine: OrtEngine, c: (typeof CONFIGS)[number], seqs: Sequence[]): Promise<Map<string, Row>> {
  const settings: SiamfcSettings = { ...SIAMFC_3S, ...c.settings };
  const rows = new Map<string, Row>();
  const t0 = performance.now();
  for (const s of seqs) {
    const tracker = new SiamfcTracker(engine, settings);
    await tracker.init(s.frames[0], toolkitToImage(s.gt[0]));
    const boxes: ToolkitBox[] = [s.gt[0]];
    for (let i = 1; i < s.frames.length; i++) boxes.push(imageToToolkit((await tracker.update(s.frames[i])).box));
    rows.set(s.name, score(s.gt, boxes, s.published));
  }
  const line = SEQUENCES.map((n) => {
    const r = rows.get(n)!;
    return `${r.auc.toFixed(3)}/${r.precision.toFixed(3)}/${r.iouPub.toFixed(3)}`;
  }).join('  ');
  process.stderr.write(`${c.name.padEnd(14)} ${line}  (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
  return rows;
}

/** The markdown table of docs/siamfc-tracker.md: the published boxes first, then each configuration. */
function table(pub: Map<string, Row>, results: Map<string, Map<string, Row>>): string {
  const head = `| configuration | ${SEQUENCES.map((n) => `${n} AUC / P@20 / IoU pub`).join(' | ')} | mean AUC | mean IoU pub |`;
  const out = [head, `|${'---|'.repeat(SEQUENCES.length + 3)}`];
  const fmt = (name: string, rows: Map<string, Row>, iouToo = true) => {
    const cells = SEQUENCES.map((n) => {
      const r = rows.get(n)!;
      return `${r.auc.toFixed(3)} / ${r.precision.toFixed(3)} / ${iouToo ? r.iouPub.toFixed(3) : '-'}`;
    });
    const meanAuc = SEQUENCES.reduce((a, n) => a + rows.get(n)!.auc, 0) / SEQUENCES.length;
    const meanIou = SEQUENCES.reduce((a, n) => a + rows.get(n)!.iouPub, 0) / SEQUENCES.length;
    return `| ${name} | ${cells.join(' | ')} | ${meanAuc.toFixed(3)} | ${iouToo ? meanIou.toFixed(3) : '-'} |`;
  };
  out.push(fmt('published SiamFC-3s', pub, false));
  for (const [name, rows] of results) out.push(fmt(name, rows));
  return out.join('\n');
}

async function main(): Promise<void> {
  if (!existsSync(join(REALDATA, 'README.md'))) {
    console.log(`siamfc-details: skipped, real data not found at ${REALDATA} (set SIAMBENCH_REALDATA to its path)`);
    return;
  }
  const only = arg('--only')?.split(',');
  const threads = Number(arg('--threads') ?? 2);
  const configs = only ? CONFIGS.filter((c) => only.includes(c.name)) : CONFIGS;
  const tmp = mkdtempSync(join(tmpdir(), 'siamfc-details-'));
  try {
    const model = join(tmp, 'siamfc-pretrained');
    await importTflite(join(REALDATA, 'weights', 'siamfc-3s-color-int8-tflite'), model);
    const weights = await readModelWeights(model);
    const engines = new Map<boolean, OrtEngine>();
    const engineFor = async (zeroBias: boolean) => {
      if (!engines.has(zeroBias))
        engines.set(zeroBias, await OrtEngine.create(zeroBias ? withZeroBias(weights) : weights, { device: 'cpu', threads }));
      return engines.get(zeroBias)!;
    };
    const seqs = await loadSequences();
    const pub = new Map<string, Row>();
    for (const s of seqs) pub.set(s.name, score(s.gt, s.published, s.published));
    const results = new Map<string, Map<string, Row>>();
    for (const c of configs) results.set(c.name, await trackConfig(await engineFor(c.zeroBias === true), c, seqs));
    console.log(table(pub, results));
    console.log('');
    for (const c of configs) console.log(`${c.name}: ${c.what}`);
    for (const e of engines.values()) e.dispose();
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
