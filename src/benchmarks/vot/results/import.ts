import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { danglingLink, isDanglingLink, listDirSync } from '../../../core/dir-entries.ts';
import { UserError } from '../../../core/errors.ts';
import type { VotDataset, VotSequence } from '../dataset/types.ts';
import { readTextFile } from '../../common/read-file.ts';
import { parseVotResult, parseVotTimes } from './parse.ts';
import { clip } from '../../common/numbers.ts';
import { timeDefects } from '../../common/times.ts';
import { VOT_INIT, VOT_SKIP, type VotExperiment, type VotRun, type VotTrackerResults } from './types.ts';

/** The toolkits run at most 15 repetitions; higher numbers are reported and ignored. */
export const MAX_REPETITIONS = 15;

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

/**
 * Imports `<results>/<Tracker>/baseline/<seq>/<seq>_<rep:03d>.txt` (all repetitions present) and
 * `<results>/<Tracker>/unsupervised/<seq>/<seq>_001.txt`, with optional time files. A malformed line
 * stops the import with `file:line`; a missing sequence or a run of the wrong length is recorded in
 * the tracker's `defects` (a short run is padded with `0`, i.e. frames without a result).
 */
export async function importVotResults(resultsDir: string, ds: VotDataset, opts?: { trackers?: string[] }): Promise<VotTrackerResults[]> {
  // Tracker folders (and everything below them) may be symbolic links: isDir follows them.
  const entries = opts?.trackers ? [] : listDirSync(resultsDir);
  for (const e of entries) if (e.kind === 'dangling') ds.warnings.push(`results: ${danglingLink(e.path)}; not a tracker folder, skipped`);
  const trackers =
    opts?.trackers ??
    entries
      .filter((e) => e.kind === 'dir')
      .map((e) => e.name)
      .filter((t) => isDir(join(resultsDir, t, 'baseline')) || isDir(join(resultsDir, t, 'unsupervised')) || notFolders(join(resultsDir, t), ds));
  const out: VotTrackerResults[] = [];
  for (const tracker of trackers) {
    const dir = join(resultsDir, tracker);
    if (!isDir(dir)) {
      throw new UserError(
        isDanglingLink(dir) ? `--trackers: ${tracker}: ${danglingLink(dir)}` : `--trackers: no folder '${tracker}' in ${resultsDir}`,
      );
    }
    const hasBaseline = isDir(join(dir, 'baseline'));
    const hasUnsup = isDir(join(dir, 'unsupervised'));
    if (!hasBaseline && !hasUnsup) {
      if (!opts?.trackers) continue; // notFolders named what is wrong
      throw new UserError(`${dir}: no baseline/ or unsupervised/ folder (expected <tracker>/baseline/<seq>/<seq>_001.txt)`);
    }
    const r: VotTrackerResults = { tracker, baseline: new Map(), unsupervised: new Map(), defects: [] };
    if (hasBaseline) await importExperiment(join(dir, 'baseline'), 'baseline', ds, r);
    if (hasUnsup) await importExperiment(join(dir, 'unsupervised'), 'unsupervised', ds, r);
    out.push(r);
  }
  return out;
}

async function importExperiment(dir: string, experiment: VotExperiment, ds: VotDataset, r: VotTrackerResults): Promise<void> {
  const known = new Set(ds.sequences.map((s) => s.name));
  for (const e of listDirSync(dir)) {
    if (e.kind === 'dangling')
      r.defects.push(`${experiment}/${e.name}: ${danglingLink(e.path)}; ${known.has(e.name) ? 'no results read' : 'ignored'}`);
    else if (e.kind === 'dir' && !known.has(e.name)) r.defects.push(`${experiment}/${e.name}: not a sequence of ${ds.name}; ignored`);
  }
  for (const seq of ds.sequences) {
    const runs = await importSequence(join(dir, seq.name), experiment, seq, r.defects);
    if (runs.length === 0) {
      r.defects.push(`${experiment}/${seq.name}: no results; the sequence is left out of this tracker's scores`);
      continue;
    }
    if (experiment === 'baseline') r.baseline.set(seq.name, runs);
    else r.unsupervised.set(seq.name, runs[0]);
  }
}

async function importSequence(dir: string, experiment: VotExperiment, seq: VotSequence, defects: string[]): Promise<VotRun[]> {
  if (!isDir(dir)) return [];
  const entries = listDirSync(dir);
  const pattern = new RegExp(`^${seq.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}_(\\d{3})\\.txt$`);
  // Result files may be symbolic links; a dangling one is a repetition that cannot be read.
  for (const e of entries)
    if (e.kind === 'dangling' && pattern.test(e.name))
      defects.push(`${experiment}/${seq.name}: ${danglingLink(e.path)}; repetition ignored`);
  // A FIFO would block the read forever and a folder fail it: named, and the repetition left out.
  for (const e of entries)
    if ((e.kind === 'other' || e.kind === 'dir') && pattern.test(e.name))
      defects.push(`${experiment}/${seq.name}: ${e.path}: not a regular file; repetition ignored`);
  const files = entries.filter((e) => e.kind === 'file').map((e) => e.name);
  const reps = files
    .map((f) => pattern.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .filter((n) => n >= 1)
    .sort((a, b) => a - b);
  const runs: VotRun[] = [];
  for (const rep of reps) {
    if (rep > MAX_REPETITIONS) {
      defects.push(`${experiment}/${seq.name}: repetition ${rep} is beyond ${MAX_REPETITIONS}; ignored`);
      continue;
    }
    if (experiment === 'unsupervised' && rep !== 1) {
      defects.push(`${experiment}/${seq.name}: repetition ${rep} ignored (the unsupervised experiment has one run)`);
      continue;
    }
    const file = join(dir, `${seq.name}_${String(rep).padStart(3, '0')}.txt`);
    const lines = parseVotResult(await readTextFile(file), file);
    // Every run starts with the initialisation code; anything else is a file of another format or a cut one.
    if (lines.length > 0 && lines[0] !== VOT_INIT) {
      const first = Array.isArray(lines[0]) ? lines[0].join(',') : String(lines[0]);
      defects.push(`${experiment}/${seq.name}: repetition ${rep}: line 1 is '${clip(first)}', not 1 (initialised); scored as written`);
    }
    if (lines.length !== seq.length) {
      defects.push(
        `${experiment}/${seq.name}: repetition ${rep} has ${lines.length} lines for ${seq.length} frames; ` +
          (lines.length < seq.length ? 'missing frames count as skipped (0)' : 'extra lines ignored'),
      );
      while (lines.length < seq.length) lines.push(VOT_SKIP);
      lines.length = seq.length;
    }
    runs.push({ repetition: rep, lines, times: await readTimes(dir, seq.name, rep, defects), file });
  }
  return runs;
}

/** `<seq>_<rep>_time.txt` (one value per line), vot-toolkit-python's `.value`, or the legacy matrix. */
async function readTimes(dir: string, seq: string, rep: number, defects: string[]): Promise<number[] | undefined> {
  const r3 = String(rep).padStart(3, '0');
  const candidates = [`${seq}_${r3}_time.txt`, `${seq}_${r3}_time.value`, `${seq}_time.txt`].map((n) => join(dir, n));
  const f = candidates.find((p) => existsSync(p));
  if (f === undefined) return undefined;
  try {
    // A FIFO named like a time file blocked eval forever: readTextFile refuses anything but a regular file.
    const times = parseVotTimes(await readTextFile(f), f, f === candidates[2] ? rep - 1 : 0);
    defects.push(...timeDefects(times).map((d) => `${f}: ${d}`));
    return times;
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    defects.push(`${err.message}; speed of repetition ${rep} not measured`);
    return undefined;
  }
}

/**
 * A tracker folder whose baseline/ or unsupervised/ exists but is no folder (a file, a FIFO) is named
 * rather than dropped without a word; returns false so the listing skips it.
 */
function notFolders(dir: string, ds: VotDataset): boolean {
  for (const exp of ['baseline', 'unsupervised']) {
    const p = join(dir, exp);
    if (existsSync(p) && !isDir(p)) {
      const text = `results: ${p}: not a folder; tracker skipped`;
      ds.warnings.push(text);
      (ds.alerts ??= []).push(text);
    }
  }
  return false;
}
