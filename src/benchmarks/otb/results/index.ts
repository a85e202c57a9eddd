import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { danglingLink, type DirEntry, listDir } from '../../../core/dir-entries.ts';
import { UserError } from '../../../core/errors.ts';
import type { ToolkitBox } from '../../../core/types.ts';
import { nameResolver, resolveOtbName } from '../dataset/names.ts';
import type { OtbDataset } from '../dataset/types.ts';
import { boxDefects } from './defects.ts';
import { timeDefects } from '../../common/times.ts';
import { metaForTracker, readMetaFile, type RunMeta } from './meta.ts';
import { flatMatScans, matStemTarget } from './mat-layout.ts';
import type { ToolkitRun } from './mat.ts';
import { readResultFile, readTimesFile } from './read.ts';
import { readRunFolders } from './run-folders.ts';

/** One tracker's result for one target. */
export interface SequenceResult {
  file: string;
  boxes: ToolkitBox[];
  /** Image number of row 0, when the source records it (jwlim JSON, ope_meta.json). */
  startFrame?: number;
  /** Seconds per frame, from a times file (or a recorded fps). */
  times?: number[];
  /** Every run of a toolkit `.mat` file (TRE: 20, SRE: 12); `boxes` are run 1's. */
  runs?: ToolkitRun[];
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
  const resolveTarget = nameResolver(ds.targets.map((t) => t.name));
  // The toolkit's own results_OPE/ (results_TRE/) layout: every tracker's <Seq>_<Tracker>.mat in one folder.
  const flat = await flatMatScans(dir, resolveTarget, opts?.trackers);
  const chosen = flat.size > 0 ? [] : opts?.trackers
    ? opts.trackers.map((t) =>
        pickFolder(
          dir,
          folders,
          t,
          dangling.map((e) => e.path),
        ),
      )
    : folders;
  // static,Static: two names, one folder, which would be scored twice.
  const twice = chosen.find((n, i) => chosen.indexOf(n) !== i);
  if (twice !== undefined) throw new UserError(`--trackers: two names pick the folder '${twice}'`);
  const rootIsGt = groundTruthFolder(dir, ds);
  if (rootIsGt) throw new UserError(`--results: ${dir} ${rootIsGt}, not tracker results`);
  const groupMeta = await readMetaFile(join(dir, 'ope_meta.json'));
  const out: TrackerResults[] = [];
  const skipped: string[] = [];
  for (const [name, scan] of flat) {
    const r = await importTracker(dir, name, ds, resolveTarget, undefined, scan);
    if ('results' in r) out.push(r.results);
  }
  for (const name of chosen) {
    const isGt = groundTruthFolder(join(dir, name), ds);
    if (isGt) {
      // Scored, the annotations rank first (AUC 0.95 for the toolkit's anno/ against OTB100.json).
      const text = `results: ${join(dir, name)} ${isGt}, not a tracker; skipped`;
      (ds.alerts ??= []).push(text);
      ds.warnings.push(text);
      continue;
    }
    const r = await importTracker(join(dir, name), name, ds, resolveTarget, groupMeta);
    if ('results' in r) out.push(r.results);
    else skipped.push(name);
  }
  if (out.length === 0 && chosen.length > 0 && chosen.every((n) => groundTruthFolder(join(dir, n), ds))) {
    throw new UserError(`--results: ${dir} holds ground truth (the toolkit's anno/ folder), not tracker results`);
  }
  if (out.length === 0) {
    const hint = folders.length === 0 ? ' (no tracker folders: expected <results>/<tracker>/<sequence>.txt or <sequence>_<tracker>.mat)' : '';
    throw new UserError(`${dir}: no recognisable tracker results${hint}`);
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

/**
 * Why a folder is ground truth rather than results, or undefined: the dataset root itself (or its
 * anno/), or a toolkit annotation folder (`att/` of attribute flags beside the .txt files, or an
 * `anno` folder with `initOmit/` beside it).
 */
function groundTruthFolder(path: string, ds: OtbDataset): string | undefined {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return undefined;
    }
  };
  const here = real(path);
  if (here === undefined) return undefined;
  const root = real(ds.root);
  if (here === root || here === real(join(ds.root, 'anno'))) return 'is the dataset root given as --root';
  const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();
  if (isDir(join(path, 'att'))) return "holds att/: it is the OTB toolkit's annotation folder";
  if (basename(here).toLowerCase() === 'anno' && isDir(join(dirname(here), 'initOmit'))) {
    return "is the OTB toolkit's annotation folder (anno/ beside initOmit/)";
  }
  if (isDir(join(path, 'anno')) && isDir(join(path, 'initOmit'))) return "holds the OTB toolkit's anno/ and initOmit/ folders";
  return undefined;
}

type Resolve = (name: string) => string | undefined;

/** What one tracker folder's listing holds: result and times files per target, and what was odd. */
export interface FolderScan {
  results: Map<string, string>;
  times: Map<string, string>;
  warnings: string[];
  /** Files named after an OTB target that is not in the dataset (OTB100 results scored on OTB2013). */
  outside: number;
  /** Targets whose result file cannot be read at all (dangling link, FIFO, folder). */
  unreadable: string[];
}

async function importTracker(
  tdir: string,
  tracker: string,
  ds: OtbDataset,
  resolveTarget: Resolve,
  groupMeta: Parameters<typeof metaForTracker>[0],
  flatScan?: FolderScan,
): Promise<{ results: TrackerResults } | { none: true }> {
  const resolveStem = (stem: string): string | undefined => {
    // Some conversions keep the toolkit's `<Seq>_<Tracker>` file names.
    const suffix = `_${tracker}`.toLowerCase();
    const bare = stem.toLowerCase().endsWith(suffix) ? stem.slice(0, -suffix.length) : undefined;
    return resolveTarget(stem) ?? (bare !== undefined ? resolveTarget(bare) : undefined);
  };
  const nested = flatScan ? undefined : await unzippedTwice(tdir, tracker);
  if (nested) tdir = nested;
  const scan = flatScan ?? (await scanFolder(tdir, resolveStem));
  if (nested) scan.warnings.push(`results read from ${nested} (a tracker archive unzipped into a folder of its own name)`);
  const runFolders = flatScan ? new Map() : await readRunFolders(tdir, resolveTarget, scan.warnings);
  if (scan.results.size === 0 && runFolders.size === 0 && scan.outside === 0 && scan.unreadable.length === 0) return { none: true };
  if (!flatScan) await scanTimesFolder(join(tdir, 'times'), resolveStem, scan);
  const meta = new Map<string, RunMeta>();
  for (const [seq, m] of await metaForTracker(groupMeta, tdir, tracker)) {
    const t = resolveTarget(seq);
    if (t !== undefined) meta.set(t, m);
  }
  const sequences = new Map<string, SequenceResult>();
  for (const [target, file] of scan.results) {
    const seq = readSequence(file, target, meta.get(target), scan.times.get(target), scan.warnings);
    if (seq) sequences.set(target, seq);
  }
  // TRE/SRE text runs (<target>/<target>_001.txt..): run 1 stands for the one-pass result.
  for (const [target, r] of runFolders) {
    if (sequences.has(target)) scan.warnings.push(`${r.dir}: runs for ${target} beside a result file; the runs are read as its runs`);
    const seq = sequences.get(target) ?? { file: r.dir, boxes: r.runs[0].boxes, defects: [] };
    sequences.set(target, { ...seq, runs: r.runs, defects: [...seq.defects, ...r.defects] });
  }
  // Files come in name order; reports read better in dataset order.
  const ordered = new Map(ds.targets.filter((t) => sequences.has(t.name)).map((t) => [t.name, sequences.get(t.name)!]));
  const missing = ds.targets.filter((t) => !sequences.has(t.name)).map((t) => t.name);
  return { results: { tracker, dir: tdir, sequences: ordered, missing, warnings: scan.warnings } };
}

/** `<T>/<T>/<seq>.txt`, what unzipping `<T>.zip` into `<T>/` gives: the inner folder, when the outer holds no result. */
async function unzippedTwice(tdir: string, tracker: string): Promise<string | undefined> {
  const entries = await listDir(tdir);
  const inner = entries.find((e) => e.kind === 'dir' && e.name === tracker);
  if (!inner || entries.some((e) => e.kind === 'file' && !e.name.startsWith('.') && /\.(txt|json)$/i.test(e.name))) return undefined;
  return inner.path;
}

/**
 * The tracker folder's entries. Result files that are symbolic links are read through them; one
 * that cannot be read (a dangling link, a FIFO that would block the read, a folder) is named, and
 * its target counts as having no result.
 */
async function scanFolder(tdir: string, resolveStem: Resolve): Promise<FolderScan> {
  const scan: FolderScan = { results: new Map(), times: new Map(), warnings: [], outside: 0, unreadable: [] };
  const unknown: string[] = [];
  const other: string[] = [];
  const unreadable: { e: DirEntry; target: string | undefined }[] = [];
  for (const e of await listDir(tdir)) {
    const f = e.name;
    if (f.startsWith('.') || f === 'ope_meta.json' || (e.kind === 'dir' && f === 'times')) continue;
    const isTimes = /_time\.txt$/i.test(f);
    const isResult = !isTimes && /\.(txt|json|mat)$/i.test(f);
    // The toolkit names its .mat files <Seq>_<Tracker>, whatever the folder is called.
    const targetOf = (stem: string) => resolveStem(stem) ?? (/\.mat$/i.test(f) ? matStemTarget(stem, resolveStem)?.target : undefined);
    if (e.kind !== 'file') {
      if (isTimes || isResult) unreadable.push({ e, target: isResult ? targetOf(f.replace(/\.(txt|json|mat)$/i, '')) : undefined });
      continue;
    }
    if (isTimes) addTimes(scan.times, resolveStem(f.slice(0, -9)), e.path);
    else if (isResult) {
      const stem = f.replace(/\.(txt|json|mat)$/i, '');
      const target = targetOf(stem);
      if (target === undefined) {
        if (resolveOtbName(stem) !== undefined) scan.outside++;
        else unknown.push(f);
      } else if (scan.results.has(target)) {
        // The file spelled exactly as the target wins (car1_1.txt over car11.txt when car11 is not in the set).
        const first = basename(scan.results.get(target)!);
        const exact = stem.toLowerCase() === target.toLowerCase();
        scan.warnings.push(
          exact
            ? `${first}: a second file for ${target} (${f}, spelled exactly as the target, is read); ignored`
            : `${f}: a second file for ${target} (after ${first}); ignored`,
        );
        if (exact) scan.results.set(target, e.path);
      } else scan.results.set(target, e.path);
    } else other.push(f);
  }
  // After the loop: a target whose other file was read does not count as having no result.
  for (const { e, target } of unreadable) unreadableEntry(e, target !== undefined && !scan.results.has(target) ? target : undefined, scan);
  if (unknown.length > 0) scan.warnings.push(`${unknown.length} file(s) named after no OTB target, ignored: ${unknown.join(', ')}`);
  if (other.length > 0) scan.warnings.push(`${other.length} file(s) that are not results (.txt/.json/.mat), ignored: ${other.join(', ')}`);
  return scan;
}

/** A result or times entry that is no readable file: named, never read (a FIFO would block forever). */
function unreadableEntry(e: DirEntry, target: string | undefined, scan: FolderScan): void {
  const what = e.kind === 'dangling' ? danglingLink(e.path) : `${e.path}: ${e.kind === 'dir' ? 'a directory' : 'not a regular file'}`;
  if (target === undefined) {
    scan.warnings.push(`${what}; not read`);
    return;
  }
  scan.unreadable.push(target);
  scan.warnings.push(`${what}; ${target} counts as having no result`);
}

/** got10k's `times/<target>_time.txt`; entries that are not regular files are named and skipped. */
async function scanTimesFolder(timesDir: string, resolveStem: Resolve, scan: FolderScan): Promise<void> {
  if (!existsSync(timesDir) || !statSync(timesDir).isDirectory()) return;
  for (const e of await listDir(timesDir)) {
    if (!/_time\.txt$/i.test(e.name)) continue;
    if (e.kind === 'file') addTimes(scan.times, resolveStem(e.name.slice(0, -9)), e.path);
    else if (e.kind === 'dangling') scan.warnings.push(`${danglingLink(e.path)}; not read`);
    else scan.warnings.push(`${e.path}: ${e.kind === 'dir' ? 'a directory' : 'not a regular file'}; not read, speed not measured`);
  }
}

/** One target's result file with its times and recorded start frame; undefined (and a warning) when unreadable. */
function readSequence(file: string, target: string, m: RunMeta | undefined, timesFile: string | undefined, warnings: string[]) {
  let parsed;
  try {
    parsed = readResultFile(file);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    warnings.push(`${err.message}; file skipped, ${target} counts as having no result`);
    return undefined;
  }
  const seq: SequenceResult = { file, boxes: parsed.boxes, defects: [...parsed.defects, ...boxDefects(parsed.boxes)] };
  if (parsed.runs) seq.runs = parsed.runs;
  const start = parsed.startFrame ?? m?.startFrame;
  if (start !== undefined) seq.startFrame = start;
  if (m?.len !== undefined && m.len !== parsed.boxes.length) {
    seq.defects.push(`ope_meta.json says ${m.len} rows, the file has ${parsed.boxes.length}`);
  }
  if (timesFile) {
    try {
      seq.times = readTimesFile(timesFile);
      if (seq.times.length !== seq.boxes.length) seq.defects.push(`times file has ${seq.times.length} rows for ${seq.boxes.length} boxes`);
      seq.defects.push(...timeDefects(seq.times).map((d) => `${timesFile}: ${d}`));
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      seq.defects.push(`${err.message}; speed not measured`);
    }
  } else if (parsed.times) seq.times = parsed.times;
  return seq;
}

function addTimes(times: Map<string, string>, target: string | undefined, file: string): void {
  if (target !== undefined && !times.has(target)) times.set(target, file);
}
