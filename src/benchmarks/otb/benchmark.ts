import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../core/errors.ts';
import { writeFileAtomic } from '../../core/fs-atomic.ts';
import type { OtbConvention } from '../../core/types.ts';
import type { OtbDataset } from './dataset/types.ts';
import { evaluateOtb } from './eval/evaluate.ts';
import { compareWithBaseline } from './eval/baseline.ts';
import { baselineLines } from './report/baseline.ts';
import type { OtbEvaluation } from './metrics/types.ts';
import type { OtbExperiment } from './metrics/robustness.ts';
import { countOtbWarnings, formatOtbWarnings } from './eval/warnings.ts';
import { formatOtbConsoleTable, writeOtbReport } from './report/report.ts';
import { writeOtbHtml } from './report/html.ts';
import { importOtbResults } from './results/index.ts';
import { alertLines } from '../common/alerts.ts';
import { commonSequences } from '../common/scope.ts';

export interface OtbScoreRequest {
  convention: OtbConvention;
  /** Tracker folders to score (default: every folder). */
  trackers?: string[];
  /** Defects found before scoring (failed runs, ...), listed in warnings.txt with the dataset's. */
  extraWarnings?: string[];
  /** Score every tracker on only the targets all of them have results for. */
  commonSequences?: boolean;
  /** One-pass (default) or the runs of TRE or SRE. */
  experiment?: OtbExperiment;
  /** A tracker every other one is compared with (AUC difference, interval, Holm-adjusted p). */
  baseline?: string;
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
  const cover = commonSequences(
    ds.targets,
    (t) => t.name,
    results.map((r) => ({ tracker: r.tracker, has: (n: string) => r.sequences.has(n) })),
    req.commonSequences === true,
    ds.scope,
  );
  const scored = cover.scope ? { ...ds, targets: [...cover.kept], scope: cover.scope } : ds;
  const ev = evaluateOtb(scored, results, req.convention, req.experiment ?? 'ope');
  if (cover.alert) (ev.alerts ??= []).push(cover.alert);
  if (req.baseline !== undefined) ev.baseline = compareWithBaseline(ev, req.baseline);
  if (req.pixelFree?.length) ev.pixelFree = [...req.pixelFree];
  await mkdir(out, { recursive: true });
  const written = await writeOtbReport(out, ev);
  const warningsFile = join(out, 'warnings.txt');
  const datasetWarnings = [...ds.warnings, ...(ev.alerts ?? []), ...(req.extraWarnings ?? [])];
  await writeFileAtomic(warningsFile, formatOtbWarnings(ev, datasetWarnings));
  written.push(await writeOtbHtml(out, ev, ds.targets));
  const text = [
    formatOtbConsoleTable(ev).trimEnd(),
    '',
    ...baselineLines(ev.baseline ?? []),
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
