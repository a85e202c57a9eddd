import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { writeFileAtomic } from '../../core/fs-atomic.ts';

/** One curve or point set of a chart: a tracker, a configuration. */
export interface ChartSeries {
  label: string;
  points: [number, number][];
  /** Drawn as a line through the points (curves) or as markers only (A-R plots). */
  line?: boolean;
  /** A marker on every point of a line (the ends and the mean of an interval). */
  markers?: boolean;
}

export interface ChartSpec {
  title: string;
  /** Charts of one group are shown together; the page offers a choice of group (all, an attribute). */
  group: string;
  x: { label: string; min?: number; max?: number };
  y: { label: string; min?: number; max?: number };
  series: ChartSeries[];
  /** Category labels of the y axis, for forest plots (row k at y = k). */
  yCategories?: string[];
}

/**
 * A table shown from a CSV file of the same report, so every number in the page is the number on
 * disk. `open` names the column whose value is a sequence of the viewer: clicking the row opens it.
 */
export interface TableSpec {
  title: string;
  file: string;
  open?: string;
}

/** One tracker's boxes on one sequence, row-aligned with the sequence's frames (null: no box). */
export interface ViewerTrack {
  tracker: string;
  boxes: ([number, number, number, number] | null)[];
  iou: (number | null)[];
}

export interface ViewerSequence {
  name: string;
  /** Image number of each row (1-based, as in 0001.jpg). */
  frames: number[];
  /** Each row's image, relative to the report's folder; absent when the run had no frames. */
  images?: string[];
  /** Ground truth, 1-based x, y, w, h as in the toolkits' files. */
  gt: ([number, number, number, number] | null)[];
  tracks: ViewerTrack[];
}

export interface ReportPage {
  title: string;
  subtitle: string;
  charts: ChartSpec[];
  tables: TableSpec[];
  sequences: ViewerSequence[];
  /** Text files of the report shown as they are (rules.txt, warnings.txt). */
  texts: string[];
}

interface Embedded {
  title: string;
  subtitle: string;
  charts: ChartSpec[];
  tables: { title: string; file: string; open?: string; columns: string[]; rows: string[][] }[];
  sequences: ViewerSequence[];
  texts: { file: string; text: string }[];
}

const here = dirname(fileURLToPath(import.meta.url));
let chartJs: string | undefined;

/** Chart.js's browser build, from the installed package (no network when the page is opened). */
function chartJsSource(): string {
  chartJs ??= readFileSync(join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
  return chartJs;
}

/** Text inside <script>: nothing in it may close the element. */
const scriptSafe = (s: string) => s.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function embed(outDir: string, page: ReportPage): Embedded {
  const tables = page.tables
    .filter((t) => existsSync(join(outDir, t.file)))
    .map((t) => {
      const rows = parse(readFileSync(join(outDir, t.file), 'utf8'), { relax_column_count: true }) as string[][];
      return { title: t.title, file: t.file, ...(t.open ? { open: t.open } : {}), columns: rows[0] ?? [], rows: rows.slice(1) };
    });
  const texts = page.texts
    .filter((f) => existsSync(join(outDir, f)))
    .map((f) => ({ file: f, text: readFileSync(join(outDir, f), 'utf8') }));
  return { title: page.title, subtitle: page.subtitle, charts: page.charts, tables, sequences: page.sequences, texts };
}

/** The whole page as one string: styles, Chart.js, the data and the page's script inline. */
export function renderHtmlReport(outDir: string, page: ReportPage): string {
  const data = JSON.stringify(embed(outDir, page)).replace(/</g, '\\u003c');
  const client = readFileSync(join(here, 'client.js'), 'utf8');
  const css = readFileSync(join(here, 'report.css'), 'utf8');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(page.title)}</title>`,
    `<style>${css}</style>`,
    `<script>${scriptSafe(chartJsSource())}</script>`,
    '</head><body>',
    `<script type="application/json" id="report-data">${data}</script>`,
    `<script>${scriptSafe(client)}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}

/**
 * Writes report.html into `outDir` (atomically), after the report's CSV and text files it shows,
 * and returns its path.
 */
export async function writeHtmlReport(outDir: string, page: ReportPage): Promise<string> {
  const path = join(outDir, 'report.html');
  await writeFileAtomic(path, renderHtmlReport(outDir, page));
  return path;
}
