import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createCanvas, loadImage, type SKRSContext2D } from '@napi-rs/canvas';
import { UserError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs-atomic.ts';
import type { ToolkitBox } from '../core/types.ts';
import { loadDataset } from '../benchmarks/index.ts';
import type { OtbTarget } from '../benchmarks/otb/dataset/types.ts';
import { readResultFile } from '../benchmarks/otb/results/read.ts';
import { seriesStyle } from '../output/chart.ts';
import { readUtf8Sync } from '../core/text-file.ts';

/**
 * The paper's qualitative figure (issue 11 item 5): for each sequence a row of frames per tracker,
 * the baseline's row first and ours second, each tile with the ground truth and that row's tracker's
 * box; frames evenly spaced, or where the two trackers disagree most (lowest IoU between their boxes).
 * Read from a bench run folder: its run.json names the dataset and root, raw/<tracker>/<seq>.txt
 * holds the boxes (OTB text, 1-based x, y, w, h, one row per ground-truth row).
 */
export interface FigureRequest {
  results: string;
  /** [baseline, ours]: first and second row of each sequence. */
  trackers: [string, string];
  sequences: string[];
  frames: number;
  pick: 'even' | 'disagree';
  out: string;
  /** Dataset folder when run.json's is not where the frames are now. */
  root?: string;
  tile: { width: number; height: number };
}

const GT_COLOUR = 'rgb(44,160,44)';
/** Baseline and ours: the palette's first two colours, as in the success and precision plots. */
const TRACKER_COLOURS = [seriesStyle(0).color, seriesStyle(1).color];
const LINE = 3;

/** Intersection over union of two x, y, w, h boxes; 0 when either is missing (NaN) or empty. */
export function iou(a: ToolkitBox, b: ToolkitBox): number {
  const ix = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
  const iy = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
  const inter = Math.max(0, ix) * Math.max(0, iy);
  const union = a[2] * a[3] + b[2] * b[3] - inter;
  return union > 0 && Number.isFinite(inter) ? inter / union : 0;
}

/**
 * Rows to show of n: 'even' spreads k over the sequence after the first (where every tracker is
 * given the ground truth); 'disagree' takes the k rows of lowest IoU between the two trackers, at
 * least n / 2k apart so that one long disagreement does not fill the row, in time order.
 */
export function pickFrames(n: number, k: number, pick: 'even' | 'disagree', a: ToolkitBox[], b: ToolkitBox[]): number[] {
  const count = Math.min(k, n - 1);
  if (count < 1) return [0];
  if (pick === 'even') return Array.from({ length: count }, (_, i) => Math.round(((i + 1) * (n - 1)) / count));
  const overlap = Array.from({ length: n }, (_, r) => (r === 0 ? Infinity : iou(a[r], b[r])));
  const order = [...overlap.keys()].filter((r) => r > 0).sort((x, y) => overlap[x] - overlap[y] || x - y);
  const picked: number[] = [];
  // Too few rows that far apart (a short sequence): the spacing halves until the row is full.
  for (let gap = Math.floor(n / (2 * count)); picked.length < count; gap = Math.floor(gap / 2)) {
    for (const r of order) {
      if (picked.length < count && !picked.includes(r) && picked.every((p) => Math.abs(p - r) >= gap)) picked.push(r);
    }
    if (gap === 0) break;
  }
  return picked.sort((x, y) => x - y);
}

interface Row {
  target: OtbTarget;
  tracker: number;
  boxes: ToolkitBox[];
  frames: number[];
}

async function loadRows(req: FigureRequest): Promise<Row[]> {
  const runFile = join(req.results, 'run.json');
  if (!existsSync(runFile)) throw new UserError(`--results: ${runFile} is missing (not a bench run folder)`);
  const run = JSON.parse(readUtf8Sync(runFile)) as { dataset?: string; root?: string; protocol?: string };
  if (run.protocol !== undefined && run.protocol !== 'one-pass')
    throw new UserError(`--results: ${req.results} is a ${run.protocol} run; the figure draws one-pass (OTB) runs`);
  const root = resolve(req.root ?? run.root ?? '');
  const data = await loadDataset('otb', run.dataset ?? 'synthetic', root);
  if (data.kind !== 'otb') throw new Error('figure: one-pass datasets only');
  const rows: Row[] = [];
  for (const name of req.sequences) {
    const target = data.ds.targets.find((t) => t.name === name);
    if (!target) throw new UserError(`--sequences: '${name}' is not in ${data.ds.name} at ${root}`);
    if (!target.images) throw new UserError(`--root: ${root} holds no images for ${name} (pass the dataset folder with --root)`);
    const boxes = req.trackers.map((tr) => {
      const file = join(req.results, 'raw', tr, `${name}.txt`);
      if (!existsSync(file)) throw new UserError(`--trackers: ${file} is missing (no raw results of ${tr} on ${name})`);
      return readResultFile(file).boxes;
    });
    const n = Math.min(target.groundTruth.length, boxes[0].length, boxes[1].length);
    const frames = pickFrames(n, req.frames, req.pick, boxes[0], boxes[1]);
    boxes.forEach((b, k) => rows.push({ target, tracker: k, boxes: b, frames }));
  }
  return rows;
}

/** Where a frame of w x h lands in a tile: scaled to fit, centred. */
function fitTile(w: number, h: number, tile: { width: number; height: number }): { scale: number; ox: number; oy: number } {
  const scale = Math.min(tile.width / w, tile.height / h);
  return { scale, ox: (tile.width - w * scale) / 2, oy: (tile.height - h * scale) / 2 };
}

function strokeBox(ctx: SKRSContext2D, box: ToolkitBox, fit: ReturnType<typeof fitTile>, x0: number, y0: number, colour: string): void {
  if (!box.every(Number.isFinite)) return;
  ctx.strokeStyle = colour;
  ctx.lineWidth = LINE;
  ctx.strokeRect(x0 + fit.ox + (box[0] - 1) * fit.scale, y0 + fit.oy + (box[1] - 1) * fit.scale, box[2] * fit.scale, box[3] * fit.scale);
}

function label(ctx: SKRSContext2D, text: string, x: number, y: number): void {
  ctx.font = '14px sans-serif';
  ctx.textBaseline = 'top';
  const w = ctx.measureText(text).width;
  ctx.fillStyle = 'rgba(0,0,0,0.6)';
  ctx.fillRect(x, y, w + 8, 20);
  ctx.fillStyle = 'white';
  ctx.fillText(text, x + 4, y + 3);
}

/** Draws the figure and writes it as PNG; returns its size in pixels. */
export async function drawFigure(req: FigureRequest): Promise<{ width: number; height: number; rows: number; cols: number }> {
  const rows = await loadRows(req);
  const cols = Math.max(...rows.map((r) => r.frames.length));
  const { width: tw, height: th } = req.tile;
  const canvas = createCanvas(cols * tw, rows.length * th);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = 'black';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  for (const [i, row] of rows.entries()) {
    for (const [c, r] of row.frames.entries()) {
      const img = await loadImage(readFileSync(row.target.images![r]));
      const fit = fitTile(img.width, img.height, req.tile);
      const [x0, y0] = [c * tw, i * th];
      ctx.drawImage(img, x0 + fit.ox, y0 + fit.oy, img.width * fit.scale, img.height * fit.scale);
      label(
        ctx,
        c === 0 ? `${req.trackers[row.tracker]}  ${row.target.name} #${row.target.frames[r]}` : `#${row.target.frames[r]}`,
        x0 + 4,
        y0 + 4,
      );
      // The tracker's box last: where the two coincide its colour shows.
      strokeBox(ctx, row.target.groundTruth[r], fit, x0, y0, GT_COLOUR);
      strokeBox(ctx, row.boxes[r], fit, x0, y0, TRACKER_COLOURS[row.tracker]);
    }
  }
  await writeFileAtomic(req.out, new Uint8Array(canvas.toBuffer('image/png')));
  return { width: canvas.width, height: canvas.height, rows: rows.length, cols };
}
