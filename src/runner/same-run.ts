import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Whether two bench run folders hold the same run: the same files, each byte for byte except its
 * timing columns, which differ between any two runs. Used to show that a sharded run (N shells, a
 * Slurm array, a Kubernetes Indexed Job) equals a one-machine run of the same options.
 */

/** Keys that hold times. */
const TIMING_KEYS = new Set(['fps', 'trackerSeconds', 'wallSeconds', 'finishedAt', 'started', 'finished', 'runSeconds', 'created']);

/** Folders only a sharded or submitted run has: the shards' records and the job scripts with their logs. */
const SCALE_OUT_ONLY = ['shards/', 'slurm/'];

function dropTiming(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropTiming);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([key]) => !TIMING_KEYS.has(key))
        .map(([key, x]) => [key, dropTiming(x)]),
    );
  }
  return v;
}

function files(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? files(p, base) : [relative(base, p)];
  });
}

/**
 * A file with its timing columns taken out; everything else (results, scores, plots, rules,
 * warnings, per_attribute.csv) is kept byte for byte. Left out: the fps column of the CSV and LaTeX
 * tables and the fps of summary.json (frames over measured seconds), the per-frame seconds of
 * raw/<tracker>/times/*_time.txt (only their frame count is kept), the seconds, fps and end time of
 * each job's record, run.json's start, end and run time, the marker's creation time, and the fps
 * column of the tables report.html embeds.
 */
export function comparable(dir: string, file: string): string | Buffer {
  const path = join(dir, file);
  if (file.endsWith('.png')) return readFileSync(path);
  const text = readFileSync(path, 'utf8');
  if (file.endsWith('_time.txt')) return `${text.trimEnd().split('\n').length} frames`;
  if (file.endsWith('.json')) return JSON.stringify(dropTiming(JSON.parse(text)), null, 1);
  if (file.endsWith('.csv')) {
    const rows = text.split('\n').map((l) => l.split(','));
    const fps = rows[0].indexOf('fps');
    return rows.map((r) => (fps < 0 ? r : r.filter((_, i) => i !== fps)).join(',')).join('\n');
  }
  // LaTeX rows end in the FPS cell.
  if (file.endsWith('.tex')) return text.replace(/ & [^&\n]*\\\\$/gm, ' \\\\');
  if (file.endsWith('report.html')) return htmlTables(text);
  return text;
}

/** report.html's data with the fps column of its tables (the report's CSVs, embedded) taken out. */
function htmlTables(text: string): string {
  const m = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(text);
  if (!m) return text;
  const data = JSON.parse(m[1]) as { tables: { columns: string[]; rows: string[][] }[] };
  for (const t of data.tables) {
    const fps = t.columns.indexOf('fps');
    if (fps < 0) continue;
    t.columns.splice(fps, 1);
    for (const r of t.rows) r.splice(fps, 1);
  }
  return text.replace(m[1], () => JSON.stringify(data));
}

/** The differences, one line each (empty: the same run). */
export function runDifferences(one: string, other: string): string[] {
  const listed = (dir: string) =>
    files(dir)
      .filter((f) => !SCALE_OUT_ONLY.some((p) => f.startsWith(p)))
      .sort();
  const a = listed(one);
  const b = listed(other);
  const out = [
    ...a.filter((f) => !b.includes(f)).map((f) => `${f}: only in ${one}`),
    ...b.filter((f) => !a.includes(f)).map((f) => `${f}: only in ${other}`),
  ];
  for (const f of a.filter((x) => b.includes(x))) {
    const x = comparable(one, f);
    const y = comparable(other, f);
    if (!(Buffer.isBuffer(x) ? x.equals(y as Buffer) : x === y)) out.push(`${f}: differs beyond its timing columns`);
  }
  return out;
}
