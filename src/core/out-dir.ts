import { accessSync, constants, existsSync, mkdirSync, readdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { link, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { UserError } from './errors.ts';
import { writeFileAtomic } from './fs-atomic.ts';
import { readUtf8Sync } from './text-file.ts';

/**
 * Output folders: no command deletes or overwrites what it did not create. A command claims its
 * output folder before writing anything: a new or empty folder is taken and marked; a folder the
 * same command (or one it accepts) marked, or one it recognises as its own from before the marker
 * existed, is resumed or refreshed; anything else is refused with one line, unless the command has
 * a --force for exactly this and the user gave it.
 */
export const MARKER = '.siambench.json';
const FORMAT = 'siambench-output-1';
/** Folders other writers put into an output folder before its command claims it (npm run slurm's scripts and logs). */
const SIDE_FOLDERS: readonly string[] = ['slurm'];

export interface OutputMarker {
  format: typeof FORMAT;
  /** The command that made the folder: bench, regress, eval, generate, train, study, reproduce, import-model. */
  command: string;
  created: string;
  /** What decides the folder's results, for resume checks (bench: see runner/settings.ts). */
  settings?: Record<string, unknown>;
}

export interface OutputClaim {
  dir: string;
  /** The option that named the folder, for messages: '--out'. */
  option: string;
  command: string;
  /** Other commands whose folders this one may write into (eval into a bench run folder, say). */
  accepts?: readonly string[];
  /** Recognises the command's own folders made before markers existed (a bench run's run.json, say). */
  legacy?: (dir: string) => boolean;
  /** The user gave --force: a folder of foreign files is written into (its files are never deleted). */
  force?: boolean;
  /** How to get past a refusal, e.g. 'pass --force to replace it'; default: choose another folder. */
  hint?: string;
}

export interface ClaimedOutput {
  dir: string;
  /** new: created or empty; ours: made by this command (or one it accepts); forced: foreign, --force given. */
  state: 'new' | 'ours' | 'forced';
  marker?: OutputMarker;
}

const CAUSES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a part of the path is a file, not a folder',
  ENOENT: 'no such folder',
  ENOSPC: 'no space left on the device',
  EISDIR: 'is a folder',
};

/** `--out: cannot write to <dir> (EACCES: permission denied)`: the real cause, not what it later breaks. */
export function unwritable(option: string, dir: string, err: unknown): UserError {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (!code) return new UserError(`${option}: cannot write to ${dir} (${(err as Error)?.message ?? String(err)})`);
  return new UserError(`${option}: cannot write to ${dir} (${code}: ${CAUSES[code] ?? (err as Error).message})`);
}

export function readMarker(dir: string): OutputMarker | undefined {
  try {
    const m = JSON.parse(readUtf8Sync(join(dir, MARKER))) as OutputMarker;
    return m?.format === FORMAT && typeof m.command === 'string' ? m : undefined;
  } catch {
    return undefined;
  }
}

function entriesOf(c: OutputClaim, dir: string): string[] | undefined {
  let st;
  try {
    st = statSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw unwritable(c.option, dir, err);
  }
  if (!st.isDirectory()) throw new UserError(`${c.option}: ${dir} is a file, not a folder`);
  try {
    return readdirSync(dir);
  } catch (err) {
    throw unwritable(c.option, dir, err);
  }
}

/**
 * Classifies the folder without writing anything (so that a refused resume leaves it untouched);
 * claimOutputDir then marks it.
 */
export function inspectOutputDir(c: OutputClaim): ClaimedOutput {
  const dir = resolve(c.dir);
  // A marker's temporary (a run killed while writing it) is ours too: the folder is still new. So is
  // the job scripts' folder that `npm run slurm` writes into a run folder before the run starts.
  const entries = entriesOf(c, dir)?.filter((e) => !(e.startsWith(`${MARKER}.`) && e.endsWith('.tmp')) && !SIDE_FOLDERS.includes(e));
  if (entries === undefined || entries.length === 0) return { dir, state: 'new' };
  const marker = readMarker(dir);
  if (marker && (marker.command === c.command || c.accepts?.includes(marker.command))) return { dir, state: 'ours', marker };
  if (!marker && c.legacy?.(dir)) return { dir, state: 'ours' };
  if (c.force) return { dir, state: 'forced', marker };
  const what = marker ? `a ${marker.command} folder` : `files siambench did not write there`;
  const shown = entries.filter((e) => e !== MARKER).slice(0, 3);
  const more = entries.length > shown.length + (marker ? 1 : 0) ? ', ...' : '';
  throw new UserError(
    `${c.option}: ${dir} already holds ${what} (${shown.join(', ')}${more}); ${c.hint ?? 'choose a new or empty folder'}`,
  );
}

/**
 * Writes the marker (creating the folder): also the up-front test that the folder is writable, so
 * that an unwritable --out is one line naming the path and the cause before any work starts.
 * `settings` replaces the marker's settings; without it they are kept.
 */
export async function markOutputDir(c: OutputClaim, claimed: ClaimedOutput, settings?: Record<string, unknown>): Promise<OutputMarker> {
  const marker = markerOf(c, claimed, settings);
  try {
    makeFolder(claimed.dir);
    await writeFileAtomic(join(claimed.dir, MARKER), `${JSON.stringify(marker, null, 1)}\n`);
  } catch (err) {
    throw unwritable(c.option, claimed.dir, err);
  }
  return marker;
}

function markerOf(c: OutputClaim, claimed: ClaimedOutput, settings?: Record<string, unknown>): OutputMarker {
  return {
    format: FORMAT,
    command: claimed.state === 'ours' && claimed.marker ? claimed.marker.command : c.command,
    created: claimed.state === 'ours' && claimed.marker ? claimed.marker.created : new Date().toISOString(),
    ...((settings ?? claimed.marker?.settings) ? { settings: settings ?? claimed.marker?.settings } : {}),
  };
}

/**
 * markOutputDir for a folder found new, when other processes may be claiming it at the same moment
 * (the shards of one run): the marker is created only if none exists, atomically (a hard link of a
 * complete temporary file, which fails if the name exists, also on NFS). Returns undefined when
 * another process created it first: the caller inspects the folder again and checks its settings.
 */
export async function createOutputMarker(
  c: OutputClaim,
  claimed: ClaimedOutput,
  settings?: Record<string, unknown>,
): Promise<OutputMarker | undefined> {
  const marker = markerOf(c, { ...claimed, state: 'new', marker: undefined }, settings);
  const file = join(claimed.dir, MARKER);
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    makeFolder(claimed.dir);
    await writeFile(tmp, `${JSON.stringify(marker, null, 1)}\n`);
    await link(tmp, file);
    return marker;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST' && existsSync(tmp)) return undefined; // the link lost the race
    throw unwritable(c.option, claimed.dir, err);
  } finally {
    await unlink(tmp).catch(() => {});
  }
}

/**
 * Creates a folder and its missing parents one at a time. Node's recursive mkdir retries a parent
 * that exists whenever the kernel answers ENOENT, which /proc does as root: `--out /proc/x` spun
 * forever. Each level made alone fails at once, with the kernel's own cause.
 */
export function makeFolder(dir: string): void {
  for (const d of missingFolders(dir)) {
    try {
      mkdirSync(d);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      // ENOENT with the parent there: a file system that takes no new folder (/proc, /sys).
      if (code === 'ENOENT' && existsSync(dirname(d))) throw new Error(`${dirname(d)} takes no new folder`, { cause: err });
      throw err;
    }
  }
}

/** The folders makeFolder would create, outermost first. */
function missingFolders(dir: string): string[] {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d) && dirname(d) !== d; d = dirname(d)) missing.unshift(d);
  return missing;
}

/**
 * An early look that changes nothing: the folder (or, before it exists, its nearest existing parent)
 * must be writable, and a folder to create must be creatable (a probe folder of a name of its own
 * is made beside the first missing one and removed: /proc passes the access check as root and
 * refuses folders), so that a command refuses before its real work, not when it first writes.
 */
export function assertWritable(c: OutputClaim): void {
  const missing = missingFolders(c.dir);
  const dir = missing.length > 0 ? dirname(missing[0]) : resolve(c.dir);
  try {
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    accessSync(dir, constants.W_OK);
    if (missing.length > 0) {
      const probe = join(dir, `.siambench-probe.${process.pid}.${Math.random().toString(36).slice(2)}`);
      makeFolder(probe);
      rmdirSync(probe);
    }
  } catch (err) {
    throw unwritable(c.option, resolve(c.dir), err);
  }
}

/** inspectOutputDir then markOutputDir: for commands with nothing to compare before writing. */
export async function claimOutputDir(c: OutputClaim): Promise<ClaimedOutput> {
  const claimed = inspectOutputDir(c);
  claimed.marker = await markOutputDir(c, claimed);
  return claimed;
}

/**
 * Undoes the claim of a folder that was new, when the command failed before writing anything but
 * the marker (a bad option found late, say): the folder goes. Once it holds more, it stays marked.
 */
export function releaseNewOutputDir(claimed: ClaimedOutput): void {
  if (claimed.state !== 'new') return;
  try {
    if (readdirSync(claimed.dir).join() !== MARKER) return;
    rmSync(join(claimed.dir, MARKER), { force: true });
    rmdirSync(claimed.dir);
  } catch {
    // best effort: the command's own error is the one to report
  }
}

/** Runs `body` in a claimed folder; a failure releases the claim of a folder that was new. */
export async function withOutputDir<T>(c: OutputClaim, body: (claimed: ClaimedOutput) => Promise<T>): Promise<T> {
  const claimed = await claimOutputDir(c);
  try {
    return await body(claimed);
  } catch (err) {
    releaseNewOutputDir(claimed);
    throw err;
  }
}

/** A legacy test: the folder holds one of these names. */
export function holdsAny(...names: string[]): (dir: string) => boolean {
  return (dir) => names.some((n) => existsSync(join(dir, n)));
}
