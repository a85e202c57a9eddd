import { realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import type { ClaimedOutput } from '../core/out-dir.ts';
import { legacySettings } from '../runner/settings.ts';

/** What a report is of: the dataset (canonical name), its root and the results folder scored. */
export interface ReportSource {
  dataset: string;
  root: string;
  results: string;
}

/** Commands whose folders are run folders: their own results are `<folder>/raw`. */
const RUN_COMMANDS = ['bench', 'regress'];

/** The same file or folder, seen through symbolic links and relative paths. */
function samePath(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  return real(a) === real(b);
}

/**
 * What the folder's report is of, when it says: a run folder's settings (marker, else run.json) with
 * its raw/ as the results, or an earlier eval's settings. Undefined for a new folder, or one that
 * does not record them (an eval report from before they were recorded).
 */
function sourceOf(claimed: ClaimedOutput): { what: string; source: Partial<ReportSource> } | undefined {
  if (claimed.state !== 'ours') return undefined;
  const command = claimed.marker?.command;
  const settings = claimed.marker?.settings as Partial<ReportSource> | undefined;
  if (command === undefined || RUN_COMMANDS.includes(command)) {
    // No marker: a folder recognised by its run.json (a bench run from before markers) or an old eval report.
    const then = settings ?? legacySettings(claimed.dir);
    if (command === undefined && then === undefined) return undefined;
    const source = { dataset: then?.dataset, root: then?.root, results: join(claimed.dir, 'raw') };
    return { what: `a ${command ?? 'bench'} run`, source };
  }
  if (command === 'eval' && settings) return { what: 'an eval report', source: settings };
  return undefined;
}

/**
 * A report written into a folder must be of that folder's own dataset, root and results: a bench
 * run's report rewritten from other results would sit beside its run.json and raw/ and describe
 * neither. Throws one line naming each option that differs.
 */
export function checkReportSource(claimed: ClaimedOutput, now: ReportSource): void {
  const found = sourceOf(claimed);
  if (!found) return;
  const then = found.source;
  const differs: string[] = [];
  if (then.dataset !== undefined && then.dataset !== now.dataset) differs.push(`--dataset ${now.dataset}, not ${then.dataset}`);
  if (then.root !== undefined && !samePath(then.root, now.root)) differs.push(`--root ${now.root}, not ${then.root}`);
  if (then.results !== undefined && !samePath(then.results, now.results)) differs.push(`--results ${now.results}, not ${then.results}`);
  if (differs.length === 0) return;
  throw new UserError(
    `--out: ${claimed.dir} holds ${found.what} of other data (${differs.join('; ')}); write this report into another --out`,
  );
}
