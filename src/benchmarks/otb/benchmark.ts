import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../core/errors.ts';
import { writeFileAtomic } from '../../core/fs-atomic.ts';
import type { OtbConvention } from '../../core/types.ts';
import type { OtbDataset } from './dataset/types.ts';
import { evaluateOtb } from './eval/evaluate.ts';
import type { OtbEvaluation } from './metrics/types.ts';
import { countOtbWarnings, formatOtbWarnings } from './eval/warnings.ts';
import { formatOtbConsoleTable, writeOtbReport } from './report/report.ts';
import { importOtbResults } from './results/index.ts';
import { alertLines } from '../common/alerts.ts';

export interface OtbScoreRequest {
  convention: OtbConvention;
  /** Tracker folders to score (default: every folder). */
  trackers?: string[];
  /** Defects found before scoring (failed runs, ...), listed in warnings.txt with the dataset's. */
  extraWarnings?: string[];
  /** Trackers that read no pixels (static): their speed is printed, never taken as the best. */
  pixelFree?: readonly string[];
}

/**
 * The second half of the data flow, shared by `eval` and `bench`: raw result files on disk ->
 * metrics -> report. Returns the evaluation and the console text.
 */
export async function scoreOtbResults(
  ds: OtbDataset,
  resultsDir: string,
  out: string,
  req: OtbScoreRequest,
): Promise<{ ev: OtbEvaluation; text: string }> {
  const results = await importOtbResults(resultsDir, ds, req.trackers ? { trackers: req.trackers } : undefined);
  if (results.length === 0) throw new UserError(`--results: no tracker result folders found in ${resultsDir}`);
  const ev = evaluateOtb(ds, results, req.convention);
  if (req.pixelFree?.length) ev.pixelFree = [...req.pixelFree];
  await mkdir(out, { recursive: true });
  const written = await writeOtbReport(out, ev);
  const warningsFile = join(out, 'warnings.txt');
  const datasetWarnings = [...ds.warnings, ...(ev.alerts ?? []), ...(req.extraWarnings ?? [])];
  await writeFileAtomic(warningsFile, formatOtbWarnings(ev, datasetWarnings));
  const text = [
    formatOtbConsoleTable(ev).trimEnd(),
    '',
    `Rules (convention ${ev.convention}):`,
    ...ev.rules.map((r) => `  - ${r}`),
    '',
    `${countOtbWarnings(ev, datasetWarnings)} warning(s): ${warningsFile}`,
    ...alertLines([...(ds.alerts ?? []), ...(ev.alerts ?? [])], ev.trackers),
    `report: ${written.length + 1} file(s) in ${out}`,
    '',
  ].join('\n');
  return { ev, text };
}
