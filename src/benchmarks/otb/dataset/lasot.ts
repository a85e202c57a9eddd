import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import fg from 'fast-glob';
import { atLine, UserError } from '../../../core/errors.ts';
import { clip } from '../../common/numbers.ts';
import { readTextFile, readTextFileSync } from '../../common/read-file.ts';
import { lasotAttributes, LASOT_TEST } from './lasot-sets.ts';
import { parseBoxText } from './parse.ts';
import { loadPysotOnePass } from './pysot-onepass.ts';
import type { OtbTarget } from './types.ts';

export interface LoadedTargets {
  targets: OtbTarget[];
  warnings: string[];
  alerts: string[];
}

/** Where one sequence's files are, in either layout. */
interface SeqFiles {
  gt: string;
  /** Toolkit: one 0/1 per line. */
  absent?: string;
  /** Official download: one comma-separated line of 0/1 each; absent = either flag. */
  occlusion?: string;
  outOfView?: string;
  att?: string;
}

/**
 * LaSOT and LaSOT-ext in the layouts users have: the official download
 * (`<class>/<class>-<n>/groundtruth.txt`, `full_occlusion.txt`, `out_of_view.txt`; the test set
 * alone is often unpacked flat as `<class>-<n>/`) and the LaSOT toolkit's `annos/<seq>.txt`,
 * `annos/absent/`, `annos/att/` (with `sequence_evaluation_config/testing_set.txt` beside). `LaSOT`
 * is the 280-sequence test set of Protocol II, whichever of the 1,400 the root holds; `LaSOT-ext`
 * every sequence the root holds.
 */
export async function loadLasot(name: string, abs: string, given: string): Promise<LoadedTargets> {
  if (/\.json$/i.test(abs) && statSync(abs).isFile()) return pysotLasot(abs, name === 'LaSOT');
  const warnings: string[] = [];
  const alerts: string[] = [];
  const found = await findSequences(abs, given);
  const test = name === 'LaSOT';
  if (test) checkTestingSet(abs, warnings);
  const builtin = new Map(LASOT_TEST.map((s) => [s.name, s.attributes]));
  const names = test ? LASOT_TEST.map((s) => s.name) : [...found.keys()].sort(byClassAndNumber);
  const targets: OtbTarget[] = [];
  const missing: string[] = [];
  for (const seq of names) {
    const files = found.get(seq);
    if (!files) {
      missing.push(seq);
      continue;
    }
    const t = await readSequence(seq, files, builtin.get(seq), warnings);
    if (t.groundTruth.length === 0) alerts.push(`${seq}: empty ground truth (no rows); left out of the dataset`);
    else targets.push(t);
  }
  if (targets.length === 0)
    throw new UserError(`${given}: holds none of the ${test ? '280 LaSOT test' : 'LaSOT'} sequences (no ground truth found)`);
  if (missing.length > 0) {
    alerts.push(`${missing.length} of ${names.length} ${name} sequence(s) not in ${given}, left out: ${few(missing)}`);
  }
  if (!test && targets.length !== 150) warnings.push(`${given}: ${targets.length} sequences; LaSOT-ext has 150 (15 classes of 10)`);
  return { targets, warnings, alerts };
}

/** The first few names of a long list. */
const few = (names: string[]) => names.slice(0, 8).join(', ') + (names.length > 8 ? `, ... (${names.length - 8} more)` : '');

/** pysot's LaSOT.json: the test set's attributes are built in where the file has none. */
async function pysotLasot(file: string, test: boolean): Promise<LoadedTargets> {
  const loaded = await loadPysotOnePass(file, test ? LASOT_TEST.map((s) => s.name) : null);
  const builtin = new Map(LASOT_TEST.map((s) => [s.name, s.attributes]));
  for (const t of loaded.targets) if (t.attributes.length === 0) t.attributes = builtin.get(t.name) ?? [];
  return loaded;
}

const byClassAndNumber = (a: string, b: string) => {
  const [ca, na] = [a.replace(/-\d+$/, ''), Number(a.replace(/^.*-/, ''))];
  const [cb, nb] = [b.replace(/-\d+$/, ''), Number(b.replace(/^.*-/, ''))];
  return ca === cb ? na - nb : ca < cb ? -1 : 1;
};

async function findSequences(abs: string, given: string): Promise<Map<string, SeqFiles>> {
  const out = new Map<string, SeqFiles>();
  const isDir = (d: string) => existsSync(d) && statSync(d).isDirectory();
  const annos = [join(abs, 'annos'), abs].find((d) => isDir(d) && (isDir(join(d, 'absent')) || basename(d) === 'annos'));
  if (annos) {
    for (const f of await fg('*.txt', { cwd: annos, onlyFiles: true })) {
      const seq = f.slice(0, -4);
      const side = (sub: string) => (existsSync(join(annos, sub, f)) ? join(annos, sub, f) : undefined);
      out.set(seq, { gt: join(annos, f), absent: side('absent'), att: side('att') });
    }
    if (out.size > 0) return out;
  }
  // Official download: <class>/<class>-<n>/ or, for a test set unpacked flat, <class>-<n>/.
  for (const f of await fg(['*/groundtruth.txt', '*/*/groundtruth.txt'], { cwd: abs, onlyFiles: true })) {
    const dir = join(abs, f, '..');
    const seq = basename(dir);
    if (!/^[a-z]+-\d+$/i.test(seq)) continue;
    const side = (n: string) => (existsSync(join(dir, n)) ? join(dir, n) : undefined);
    if (out.has(seq)) throw new UserError(`${given}: two folders for ${seq}; keep one`);
    out.set(seq, { gt: join(dir, 'groundtruth.txt'), occlusion: side('full_occlusion.txt'), outOfView: side('out_of_view.txt') });
  }
  if (out.size === 0) {
    throw new UserError(
      `${given}: not a LaSOT root (expected <class>/<class>-<n>/groundtruth.txt of the official download, or the toolkit's annos/<seq>.txt)`,
    );
  }
  return out;
}

/** A root's own testing_set.txt must name the published 280: a different file is named, the built-in list used. */
function checkTestingSet(abs: string, warnings: string[]): void {
  const file = [
    join(abs, 'testing_set.txt'),
    join(abs, 'sequence_evaluation_config', 'testing_set.txt'),
    join(abs, '..', 'testing_set.txt'),
  ].find((p) => existsSync(p));
  if (!file) return;
  const names = new Set(readTestingSet(file));
  const known = LASOT_TEST.map((s) => s.name);
  const extra = [...names].filter((n) => !known.includes(n));
  const lacking = known.filter((n) => !names.has(n));
  if (extra.length + lacking.length > 0) {
    warnings.push(
      `${file}: differs from LaSOT's published test set (${lacking.length} missing, ${extra.length} others: ${few([...lacking, ...extra])}); the published 280 are scored`,
    );
  }
}

function readTestingSet(file: string): string[] {
  return readTextFileSync(file).split(/\s+/).filter(Boolean);
}

async function readSequence(seq: string, f: SeqFiles, builtinAtt: string[] | undefined, warnings: string[]): Promise<OtbTarget> {
  const groundTruth = parseBoxText(await readTextFile(f.gt), f.gt);
  const n = groundTruth.length;
  const frames = Array.from({ length: n }, (_, i) => i + 1);
  let absent: Uint8Array | undefined;
  if (f.absent) absent = fitFlags(await readFlags(f.absent), n, f.absent, warnings);
  else if (f.occlusion && f.outOfView) {
    const occ = fitFlags(await readFlags(f.occlusion), n, f.occlusion, warnings);
    const oov = fitFlags(await readFlags(f.outOfView), n, f.outOfView, warnings);
    absent = occ.map((v, i) => v | oov[i]);
  } else {
    warnings.push(`${seq}: no absence flags (absent/, or full_occlusion.txt and out_of_view.txt): every frame is taken as visible`);
  }
  let attributes = builtinAtt ?? [];
  if (f.att) {
    const flags = (await readTextFile(f.att)).trim().split(/[\s,;]+/);
    const att = lasotAttributes(flags);
    if (!att) throw atLine(f.att, 1, 'expected 14 flags 0/1 in the order IV, POC, DEF, MB, CM, ROT, BC, VC, SV, FOC, FM, OV, LR, ARC');
    attributes = att;
  }
  return { name: seq, sequence: seq, frames, groundTruth, initOmit: 0, attributes, ...(absent ? { absent } : {}) };
}

/** 0/1 flags, one per line (toolkit) or comma-separated on one line (official); anything else is an error at its line. */
async function readFlags(file: string): Promise<Uint8Array> {
  const lines = (await readTextFile(file)).split('\n');
  const out: number[] = [];
  for (const [i, line] of lines.entries()) {
    for (const tok of line.split(/[\s,;]+/)) {
      if (tok === '') continue;
      if (tok !== '0' && tok !== '1') throw atLine(file, i + 1, `expected 0/1 absence flags, got '${clip(tok)}'`);
      out.push(tok === '1' ? 1 : 0);
    }
  }
  return Uint8Array.from(out);
}

/** Flags must match the ground truth frame for frame; a mismatch is named and padded with 0 or cut. */
function fitFlags(flags: Uint8Array, n: number, file: string, warnings: string[]): Uint8Array {
  if (flags.length === n) return flags;
  warnings.push(
    `${file}: ${flags.length} flags for ${n} ground-truth rows; ${flags.length < n ? 'the rest taken as visible' : 'the extra ones ignored'}`,
  );
  const out = new Uint8Array(n);
  out.set(flags.subarray(0, n));
  return out;
}
