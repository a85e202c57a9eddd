import { join } from 'node:path';
import { writeFileAtomic } from '../core/fs-atomic.ts';
import type { OtbConvention } from '../core/types.ts';
import type { OtbDataset } from '../datasets/otb/types.ts';
import { evaluateOtb } from '../eval/otb.ts';
import { countOtbWarnings, formatOtbWarnings } from '../eval/otb-warnings.ts';
import { formatOtbConsoleTable, writeOtbReport } from '../report/otb-report.ts';
import { importOtbResults } from '../results/otb/index.ts';
import type { JobRecord } from './jobs.ts';
import { runPaths } from './plan.ts';

/**
 * Scores a bench run from its raw result files on disk (the same import eval uses, so a bench
 * result and an imported published result are scored identically) and writes the report into the
 * run folder. Returns the console text.
 */
export async function scoreOtbRun(
  ds: OtbDataset, outDir: string, trackers: string[], records: JobRecord[], convention: OtbConvention,
): Promise<string> {
  const { raw } = runPaths(outDir);
  const withResults = trackers.filter((t) => records.some((r) => r.tracker === t && r.status === 'ok'));
  const results = withResults.length > 0 ? await importOtbResults(raw, ds, { trackers: withResults }) : [];
  const ev = evaluateOtb(ds, results, convention);
  const failures = records.filter((r) => r.status === 'failed').map((r) => `run: ${r.tracker}: ${r.target}: tracker failed: ${r.error}`);
  const written = await writeOtbReport(outDir, ev);
  const warningsFile = join(outDir, 'warnings.txt');
  const datasetWarnings = [...ds.warnings, ...failures];
  await writeFileAtomic(warningsFile, formatOtbWarnings(ev, datasetWarnings));
  return [
    formatOtbConsoleTable(ev).trimEnd(),
    '',
    `Rules (convention ${ev.convention}):`,
    ...ev.rules.map((r) => `  - ${r}`),
    '',
    `${countOtbWarnings(ev, datasetWarnings)} warning(s): ${warningsFile}`,
    `raw results: ${raw}`,
    `report: ${written.length + 1} file(s) in ${outDir}`,
    '',
  ].join('\n');
}
