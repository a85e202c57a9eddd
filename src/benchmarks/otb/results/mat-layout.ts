import { existsSync, statSync } from 'node:fs';
import { listDir } from '../../../core/dir-entries.ts';
import { UserError } from '../../../core/errors.ts';
import type { FolderScan } from './index.ts';

type Resolve = (name: string) => string | undefined;

/**
 * Splits a toolkit result name `<Seq>_<Tracker>` at the underscore that leaves the longest target
 * name: `Human4_2_CCOT` is Human4-2 by CCOT (not Human4 by `2_CCOT`), `Jogging-1_CNN-SVM` Jogging-1
 * by CNN-SVM, `Tiger1_siamfc3s` Tiger1 by siamfc3s.
 */
export function matStemTarget(stem: string, resolve: Resolve): { target: string; tracker: string } | undefined {
  for (let at = stem.lastIndexOf('_'); at > 0; at = stem.lastIndexOf('_', at - 1)) {
    const target = resolve(stem.slice(0, at));
    if (target !== undefined) return { target, tracker: stem.slice(at + 1) };
  }
  return undefined;
}

/**
 * The OTB toolkit's results folder (`results/results_OPE/`, `results_TRE/`): every tracker's
 * `<Seq>_<Tracker>.mat` side by side. Returns one scan per tracker (empty when the folder holds no
 * such file, so tracker folders are looked for instead); `only` picks trackers by name.
 */
export async function flatMatScans(dir: string, resolve: Resolve, only?: string[]): Promise<Map<string, FolderScan>> {
  const scans = new Map<string, FolderScan>();
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return scans;
  for (const e of await listDir(dir)) {
    if (e.kind !== 'file' || !/\.mat$/i.test(e.name)) continue;
    const split = matStemTarget(e.name.slice(0, -4), resolve);
    if (!split) continue;
    let scan = scans.get(split.tracker);
    if (!scan) scans.set(split.tracker, (scan = { results: new Map(), times: new Map(), warnings: [], outside: 0, unreadable: [] }));
    if (scan.results.has(split.target)) scan.warnings.push(`${e.name}: a second file for ${split.target}; ignored`);
    else scan.results.set(split.target, e.path);
  }
  if (!only || scans.size === 0) return scans;
  const picked = new Map<string, FolderScan>();
  for (const name of only) {
    const key = scans.has(name) ? name : [...scans.keys()].find((k) => k.toLowerCase() === name.toLowerCase());
    if (key === undefined) throw new UserError(`${dir}: no <Seq>_${name}.mat files (trackers here: ${[...scans.keys()].join(', ')})`);
    picked.set(key, scans.get(key)!);
  }
  return picked;
}
