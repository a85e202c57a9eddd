import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { danglingLink, listDir } from '../../../core/dir-entries.ts';
import { UserError } from '../../../core/errors.ts';
import type { ToolkitBox } from '../../../core/types.ts';
import { nameResolver, resolveOtbName } from '../dataset/names.ts';
import type { OtbDataset } from '../dataset/types.ts';
import { boxDefects } from './defects.ts';
import { metaForTracker, readMetaFile } from './meta.ts';
import { readResultFile, readTimesFile } from './read.ts';

/** One tracker's result for one target. */
export interface SequenceResult {
  file: string;
  boxes: ToolkitBox[];
  /** Image number of row 0, when the source records it (jwlim JSON, ope_meta.json). */
  startFrame?: number;
  /** Seconds per frame, from a times file (or a recorded fps). */
  times?: number[];
  /** What is odd about this file, for warnings.txt. */
  defects: string[];
}

export interface TrackerResults {
  tracker: string;
  dir: string;
  /** Canonical target name -> result. */
  sequences: Map<string, SequenceResult>;
  /** Targets of the dataset this tracker has no file for. */
  missing: string[];
  /** Problems with the folder as a whole (unknown names, skipped files). */
  warnings: string[];
}

/**
 * Imports raw one-pass results: `dir/<tracker>/<target>.txt|.json` in any of the forms users have
 * (got10k, pysot, pytracking, toolkit text, jwlim JSON) and any target spelling, with times from
 * `times/<target>_time.txt` or `<target>_time.txt` and start frames from `ope_meta.json`. Files are
 * taken as they are; their defects are listed, never repaired or dropped silently. A folder with no
 * file named after an OTB or dataset target is not a tracker; a `dir` with no tracker is an error.
 */
export async function importOtbResults(dir: string, ds: OtbDataset, opts?: { trackers?: string[] }): Promise<TrackerResults[]> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`${dir}: results folder not found`);
  // Tracker folders that are symbolic links count as the folders they point to.
  const entries = (await listDir(dir)).filter((e) => !e.name.startsWith('.'));
  const folders = entries.filter((e) => e.kind === 'dir').map((e) => e.name);
  const dangling = entries.filter((e) => e.kind === 'dangling');
  const chosen = opts?.trackers
    ? opts.trackers.map((t) =>
        pickFolder(
          dir,
          folders,
          t,
          dangling.map((e) => e.path),
        ),
      )
    : folders;
  const groupMeta = await readMetaFile(join(dir, 'ope_meta.json'));
  const resolveTarget = nameResolver(ds.targets.map((t) => t.name));
  const out: TrackerResults[] = [];
  const skipped: string[] = [];
  let mats = 0;
  for (const name of chosen) {
    const r = await importTracker(join(dir, name), name, ds, resolveTarget, groupMeta);
    if ('results' in r) out.push(r.results);
    else {
      skipped.push(name);
      mats += r.mats;
    }
  }
  if (out.length === 0) {
    const why = mats > 0 ? `; ${mats} .mat file(s) seen: the toolkit's MATLAB results are not read, convert them to text` : '';
    const hint = folders.length === 0 ? ' (no tracker folders: expected <results>/<tracker>/<sequence>.txt)' : '';
    throw new UserError(`${dir}: no recognisable tracker results${hint}${why}`);
  }
  // Nothing else reaches warnings.txt for a folder that is not a tracker, so the dataset carries it.
  if (!opts?.trackers) for (const e of dangling) ds.warnings.push(`results: ${danglingLink(e.path)}; not a tracker folder, skipped`);
  for (const s of skipped) ds.warnings.push(`results: ${join(dir, s)}: no result file named after a target, not a tracker; skipped`);
  return out;
}

function pickFolder(dir: string, folders: string[], name: string, dangling: string[]): string {
  // Exact first; a case-insensitive match only when it is the only one (KCF and Kcf are two trackers).
  if (folders.includes(name)) return name;
  const alike = folders.filter((x) => x.toLowerCase() === name.toLowerCase());
  if (alike.length > 1) throw new UserError(`--trackers: '${name}' matches ${alike.join(', ')} in ${dir} but none exactly; name one`);
  if (alike.length === 1) return alike[0];
  const link = dangling.find((p) => basename(p) === name) ?? dangling.find((p) => basename(p).toLowerCase() === name.toLowerCase());
  if (link) throw new UserError(`--trackers: ${name}: ${danglingLink(link)}`);
  throw new UserError(`${dir}: no tracker folder '${name}' (found: ${folders.join(', ') || 'none'})`);
}

type Resolve = (name: string) => string | undefined;

async function importTracker(
  tdir: string,
  tracker: string,
  ds: OtbDataset,
  resolveTarget: Resolve,
  groupMeta: Parameters<typeof metaForTracker>[0],
): Promise<{ results: TrackerResults } | { mats: number }> {
  // Result files that are symbolic links are read through them; a dangling one is named, and its
  // target counts as having no result.
  const entries = await listDir(tdir);
  const files = entries.filter((e) => e.kind === 'file').map((e) => e.name);
  const brokenLinks = entries.filter((e) => e.kind === 'dangling' && /\.(txt|json)$/i.test(e.name));
  const warnings: string[] = [];
  const resolveStem = (stem: string): string | undefined => {
    // Some conversions keep the toolkit's `<Seq>_<Tracker>` file names.
    const suffix = `_${tracker}`.toLowerCase();
    const bare = stem.toLowerCase().endsWith(suffix) ? stem.slice(0, -suffix.length) : undefined;
    return resolveTarget(stem) ?? (bare !== undefined ? resolveTarget(bare) : undefined);
  };
  const results = new Map<string, string>();
  const times = new Map<string, string>();
  const unknown: string[] = [];
  const other: string[] = [];
  let outside = 0;
  let mats = 0;
  for (const f of files) {
    if (f.startsWith('.') || f === 'ope_meta.json') continue;
    if (/\.mat$/i.test(f)) mats++;
    else if (/_time\.txt$/i.test(f)) addTimes(times, resolveStem(f.slice(0, -9)), join(tdir, f));
    else if (/\.(txt|json)$/i.test(f)) {
      const stem = f.replace(/\.(txt|json)$/i, '');
      const target = resolveStem(stem);
      if (target === undefined) {
        if (resolveOtbName(stem) !== undefined) outside++;
        else unknown.push(f);
      } else if (results.has(target)) {
        warnings.push(`${f}: a second file for ${target} (after ${basename(results.get(target)!)}); ignored`);
      } else results.set(target, join(tdir, f));
    } else other.push(f);
  }
  const brokenFor = brokenLinks.map((e) => ({
    path: e.path,
    target: /_time\.txt$/i.test(e.name) ? undefined : resolveStem(e.name.replace(/\.(txt|json)$/i, '')),
  }));
  if (results.size === 0 && outside === 0 && !brokenFor.some((b) => b.target !== undefined)) return { mats };
  for (const b of brokenFor) {
    warnings.push(
      `${danglingLink(b.path)}; ${b.target !== undefined && !results.has(b.target) ? `${b.target} counts as having no result` : 'not read'}`,
    );
  }
  const timesDir = join(tdir, 'times');
  if (existsSync(timesDir) && statSync(timesDir).isDirectory()) {
    for (const e of await listDir(timesDir)) {
      if (!/_time\.txt$/i.test(e.name)) continue;
      if (e.kind === 'file') addTimes(times, resolveStem(e.name.slice(0, -9)), e.path);
      else if (e.kind === 'dangling') warnings.push(`${danglingLink(e.path)}; not read`);
    }
  }
  if (mats > 0) warnings.push(`${mats} .mat file(s) skipped: the toolkit's MATLAB results are not read (convert them to text)`);
  if (unknown.length > 0) warnings.push(`${unknown.length} file(s) named after no OTB target, ignored: ${unknown.join(', ')}`);
  if (other.length > 0) warnings.push(`${other.length} file(s) that are not results (.txt/.json), ignored: ${other.join(', ')}`);

  const meta = new Map<string, { startFrame?: number; len?: number }>();
  for (const [seq, m] of await metaForTracker(groupMeta, tdir, tracker)) {
    const t = resolveTarget(seq);
    if (t !== undefined) meta.set(t, m);
  }
  const sequences = new Map<string, SequenceResult>();
  for (const [target, file] of results) {
    let parsed;
    try {
      parsed = readResultFile(file);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      warnings.push(`${err.message}; file skipped, ${target} counts as having no result`);
      continue;
    }
    const seq: SequenceResult = { file, boxes: parsed.boxes, defects: [...parsed.defects, ...boxDefects(parsed.boxes)] };
    const m = meta.get(target);
    const start = parsed.startFrame ?? m?.startFrame;
    if (start !== undefined) seq.startFrame = start;
    if (m?.len !== undefined && m.len !== parsed.boxes.length) {
      seq.defects.push(`ope_meta.json says ${m.len} rows, the file has ${parsed.boxes.length}`);
    }
    const tf = times.get(target);
    if (tf) {
      try {
        seq.times = readTimesFile(tf);
        if (seq.times.length !== seq.boxes.length)
          seq.defects.push(`times file has ${seq.times.length} rows for ${seq.boxes.length} boxes`);
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        seq.defects.push(`${err.message}; speed not measured`);
      }
    } else if (parsed.times) seq.times = parsed.times;
    sequences.set(target, seq);
  }
  // Files come in name order; reports read better in dataset order.
  const ordered = new Map(ds.targets.filter((t) => sequences.has(t.name)).map((t) => [t.name, sequences.get(t.name)!]));
  const missing = ds.targets.filter((t) => !sequences.has(t.name)).map((t) => t.name);
  return { results: { tracker, dir: tdir, sequences: ordered, missing, warnings } };
}

function addTimes(times: Map<string, string>, target: string | undefined, file: string): void {
  if (target !== undefined && !times.has(target)) times.set(target, file);
}
