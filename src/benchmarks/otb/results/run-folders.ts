import { listDir } from '../../../core/dir-entries.ts';
import { UserError } from '../../../core/errors.ts';
import { readResultFile } from './read.ts';
import type { ToolkitRun } from './mat.ts';

type Resolve = (name: string) => string | undefined;

/**
 * Text results of a robustness experiment: a folder per target in the tracker folder, one file per
 * run numbered from 1 (`<tracker>/Tiger1/Tiger1_001.txt` .. `_020.txt` for TRE, `_012` for SRE), as
 * VOT keeps repetitions. A run's rows start at its own first frame (TRE: the segment's start from
 * splitSeqTRE; SRE: the one-pass start), so no start frame needs recording. Returns target -> runs.
 */
export async function readRunFolders(tdir: string, resolve: Resolve, warnings: string[]): Promise<Map<string, { dir: string; runs: ToolkitRun[]; defects: string[] }>> {
  const out = new Map<string, { dir: string; runs: ToolkitRun[]; defects: string[] }>();
  for (const e of await listDir(tdir)) {
    if (e.kind !== 'dir' || e.name === 'times' || e.name.startsWith('.')) continue;
    const target = resolve(e.name);
    if (target === undefined) continue;
    const files = (await listDir(e.path)).filter((f) => f.kind === 'file' && /_(\d+)\.txt$/.test(f.name) && !/_time\.txt$/i.test(f.name));
    const numbered = files.map((f) => ({ f, k: Number(/_(\d+)\.txt$/.exec(f.name)![1]) })).sort((a, b) => a.k - b.k);
    if (numbered.length === 0) continue;
    const gap = numbered.findIndex((x, i) => x.k !== i + 1);
    const kept = gap < 0 ? numbered : numbered.slice(0, gap);
    const defects: string[] = [];
    if (gap >= 0) defects.push(`run files in ${e.name}/ skip run ${gap + 1}: runs from there on are not scored (the toolkit stops at the first missing run)`);
    try {
      const runs = kept.map(({ f }) => ({ boxes: readResultFile(f.path).boxes }));
      if (runs.length > 0) out.set(target, { dir: e.path, runs, defects });
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      warnings.push(`${err.message}; ${target} counts as having no result`);
    }
  }
  return out;
}
