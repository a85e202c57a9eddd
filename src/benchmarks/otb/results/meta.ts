import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { danglingLink, isDanglingLink } from '../../../core/dir-entries.ts';
import { UserError } from '../../../core/errors.ts';

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
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as unknown;
    if (!data || typeof data !== 'object') throw new Error('not an object');
    return data as MetaFile;
  } catch (err) {
    throw new UserError(`${file}: not a readable ope_meta.json (${(err as Error).message.split('\n')[0]})`);
  }
}

/** The per-sequence records for one tracker, from the results folder's meta or its own folder's. */
export async function metaForTracker(groupMeta: MetaFile | undefined, trackerDir: string, tracker: string): Promise<Map<string, RunMeta>> {
  const out = new Map<string, RunMeta>();
  const own = await readMetaFile(join(trackerDir, 'ope_meta.json'));
  const t = tracker.toLowerCase();
  const sources: Record<string, unknown>[] = [];
  for (const meta of [groupMeta, own]) {
    if (!meta) continue;
    for (const [k, v] of Object.entries(meta)) {
      const key = k.toLowerCase();
      if (key === t || key === `results_${t}` || key.startsWith(`results_${t}_`)) sources.push(v as Record<string, unknown>);
    }
  }
  // A tracker folder's own file may be keyed by sequence directly.
  if (own && Object.values(own).some(isRun)) sources.push(own);
  for (const src of sources) {
    for (const [seq, v] of Object.entries(src)) {
      if (!isRun(v)) continue;
      const rec: RunMeta = {};
      if (typeof v.startFrame === 'number') rec.startFrame = v.startFrame;
      if (typeof v.len === 'number') rec.len = v.len;
      out.set(seq, rec);
    }
  }
  return out;
}

function isRun(v: unknown): v is { startFrame?: unknown; len?: unknown } {
  return !!v && typeof v === 'object' && ('startFrame' in v || 'len' in v);
}
