import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { danglingLink, isDanglingLink } from '../../../core/dir-entries.ts';
import { UserError } from '../../../core/errors.ts';
import { readTextFile } from '../../common/read-file.ts';

/** What the toolkit's result structs recorded per sequence: the image of row 1 and the row count. */
export interface RunMeta {
  startFrame?: number;
  len?: number;
}

type MetaFile = Record<string, Record<string, RunMeta>>;

/**
 * `ope_meta.json`, written beside text conversions of the toolkit's `.mat` results (cfnet-release):
 * `{ "results_<tracker>_<set>": { "<Seq>": { startFrame, annoBegin, len } } }`. Text files lose the
 * start frame, and Tiger1's rows start at image 6; this file keeps it. A tracker folder may also hold
 * its own `ope_meta.json` keyed by sequence directly.
 */
export async function readMetaFile(file: string): Promise<MetaFile | undefined> {
  if (!existsSync(file)) {
    // A dangling link means start frames were meant to be given: scoring without them would shift rows unflagged.
    if (isDanglingLink(file)) throw new UserError(`${danglingLink(file)}; the start frames it records cannot be read`);
    return undefined;
  }
  // A FIFO or a folder named ope_meta.json is an error like a dangling link, for the same reason.
  const text = await readTextFile(file);
  try {
    const data = JSON.parse(text) as unknown;
    if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error('not an object');
    return data as MetaFile;
  } catch (err) {
    throw new UserError(`${file}: not a readable ope_meta.json (${(err as Error).message.split('\n')[0]})`);
  }
}

/** The per-sequence records for one tracker, from the results folder's meta or its own folder's. */
export async function metaForTracker(groupMeta: MetaFile | undefined, trackerDir: string, tracker: string): Promise<Map<string, RunMeta>> {
  const out = new Map<string, RunMeta>();
  const ownFile = join(trackerDir, 'ope_meta.json');
  const own = await readMetaFile(ownFile);
  const t = tracker.toLowerCase();
  const sources: { src: Record<string, unknown>; file: string }[] = [];
  const groupFile = join(dirname(trackerDir), 'ope_meta.json');
  for (const [meta, file] of [
    [groupMeta, groupFile],
    [own, ownFile],
  ] as const) {
    if (!meta) continue;
    for (const [k, v] of Object.entries(meta)) {
      const key = k.toLowerCase();
      if (key === t || key === `results_${t}` || key.startsWith(`results_${t}_`)) sources.push({ src: v as Record<string, unknown>, file });
    }
  }
  // A tracker folder's own file may be keyed by sequence directly.
  if (own && Object.values(own).some(isRun)) sources.push({ src: own, file: ownFile });
  for (const { src, file } of sources) {
    if (!src || typeof src !== 'object') continue;
    for (const [seq, v] of Object.entries(src)) {
      if (!isRun(v)) continue;
      const rec: RunMeta = {};
      const where = `${file}: ${seq}`;
      if (v.startFrame !== undefined) rec.startFrame = wholeNumber(v.startFrame, 1, `${where}: startFrame`);
      if (v.len !== undefined) rec.len = wholeNumber(v.len, 0, `${where}: len`);
      out.set(seq, rec);
    }
  }
  return out;
}

/**
 * Start frames and lengths are image numbers and row counts: 2.5 or '6' would misalign every row
 * (and 2.5 indexes no row at all), so they are errors, not guesses.
 */
function wholeNumber(v: unknown, min: number, where: string): number {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= min) return v;
  throw new UserError(`${where}: expected a whole number >= ${min}, got ${JSON.stringify(v) ?? String(v)}`.slice(0, 300));
}

function isRun(v: unknown): v is { startFrame?: unknown; len?: unknown } {
  return !!v && typeof v === 'object' && ('startFrame' in v || 'len' in v);
}
