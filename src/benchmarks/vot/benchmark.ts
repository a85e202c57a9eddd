import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../core/errors.ts';
import { writeFileAtomic } from '../../core/fs-atomic.ts';
import type { VotConvention } from '../../core/types.ts';
import type { VotDataset } from './dataset/types.ts';
import { evaluateVot } from './eval/evaluate.ts';
import type { VotEvaluation } from './eval/types.ts';
import { formatVotConsoleTable, formatVotWarnings, writeVotReport } from './report/report.ts';
import { writeVotHtml } from './report/html.ts';
import { importVotResults } from './results/import.ts';
import type { VotTrackerResults } from './results/types.ts';
import { alertLines } from '../common/alerts.ts';
import { commonSequences } from '../common/scope.ts';

export interface VotScoreRequest {
  convention: VotConvention;
  trackers?: string[];
  extraWarnings?: string[];
  /** Score every tracker on only the sequences all of them have results for. */
  commonSequences?: boolean;
}

/**
 * Trackers with a result for at least one sequence. One with none (an empty baseline/, results of
 * another dataset) would be a row of blank scores: it is left out and named; when no tracker is
 * left, the folder does not hold results for this dataset, which is an error.
 */
function withResults(results: VotTrackerResults[], ds: VotDataset, resultsDir: string): VotTrackerResults[] {
  const kept = results.filter((r) => r.baseline.size > 0 || r.unsupervised.size > 0);
  if (kept.length === 0) {
    throw new UserError(
      `--results: no tracker in ${resultsDir} has a result for any of the ${ds.sequences.length} sequences of ${ds.name} (${results.map((r) => r.tracker).join(', ')}); wrong --dataset or --root?`,
    );
  }
  for (const r of results) {
    if (kept.includes(r)) continue;
    const text = `results: ${r.tracker}: no result for any sequence of ${ds.name}; left out of the report`;
    ds.warnings.push(text);
    (ds.alerts ??= []).push(text);
  }
  return kept;
}

/** Raw VOT result files on disk -> metrics -> report, shared by `eval` and `bench`. */
export async function scoreVotResults(
  ds: VotDataset,
  resultsDir: string,
  out: string,
  req: VotScoreRequest,
): Promise<{ ev: VotEvaluation; text: string; seconds: { import: number; scoring: number; report: number } }> {
  const t0 = performance.now();
  const imported = await importVotResults(resultsDir, ds, req.trackers ? { trackers: req.trackers } : undefined);
  if (imported.length === 0) throw new UserError(`--results: no tracker in ${resultsDir} has a baseline/ or unsupervised/ folder`);
  const results = withResults(imported, ds, resultsDir);
  const cover = commonSequences(
    ds.sequences,
    (s) => s.name,
    results.map((r) => ({ tracker: r.tracker, has: (n: string) => r.baseline.has(n) || r.unsupervised.has(n) })),
    req.commonSequences === true,
    ds.scope,
  );
  if (cover.alert) {
    ds.warnings.push(cover.alert);
    (ds.alerts ??= []).push(cover.alert);
  }
  const t1 = performance.now();
  const ev = evaluateVot(cover.scope ? { ...ds, sequences: [...cover.kept], scope: cover.scope } : ds, results, req.convention);
  const t2 = performance.now();
  await mkdir(out, { recursive: true });
  const written = await writeVotReport(out, ev);
  const warningsFile = join(out, 'warnings.txt');
  const datasetWarnings = [...ds.warnings, ...(req.extraWarnings ?? [])];
  await writeFileAtomic(warningsFile, formatVotWarnings(ev, datasetWarnings));
  written.push(await writeVotHtml(out, ev));
  const t3 = performance.now();
  const nWarn = datasetWarnings.length + ev.trackers.reduce((n, t) => n + t.warnings.length, 0);
  const text = [
    formatVotConsoleTable(ev).trimEnd(),
    '',
    `Rules (convention ${ev.convention}):`,
    ...ev.rules.map((r) => `  - ${r}`),
    '',
    `${nWarn} warning(s): ${warningsFile}`,
    ...alertLines(ds.alerts ?? [], []),
    `report: ${written.length + 1} file(s) in ${out}`,
    '',
  ].join('\n');
  return { ev, text, seconds: { import: (t1 - t0) / 1000, scoring: (t2 - t1) / 1000, report: (t3 - t2) / 1000 } };
}
