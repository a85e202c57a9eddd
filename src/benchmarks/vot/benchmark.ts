import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../core/errors.ts';
import { writeFileAtomic } from '../../core/fs-atomic.ts';
import type { VotConvention } from '../../core/types.ts';
import type { VotDataset } from './dataset/types.ts';
import { evaluateVot } from './eval/evaluate.ts';
import type { VotEvaluation } from './eval/types.ts';
import { formatVotConsoleTable, formatVotWarnings, writeVotReport } from './report/report.ts';
import { importVotResults } from './results/import.ts';

export interface VotScoreRequest {
  convention: VotConvention;
  trackers?: string[];
  extraWarnings?: string[];
}

/** Raw VOT result files on disk -> metrics -> report, shared by `eval` and `bench`. */
export async function scoreVotResults(
  ds: VotDataset,
  resultsDir: string,
  out: string,
  req: VotScoreRequest,
): Promise<{ ev: VotEvaluation; text: string; seconds: { import: number; scoring: number; report: number } }> {
  const t0 = performance.now();
  const results = await importVotResults(resultsDir, ds, req.trackers ? { trackers: req.trackers } : undefined);
  if (results.length === 0) throw new UserError(`--results: no tracker in ${resultsDir} has a baseline/ or unsupervised/ folder`);
  const t1 = performance.now();
  const ev = evaluateVot(ds, results, req.convention);
  const t2 = performance.now();
  await mkdir(out, { recursive: true });
  const written = await writeVotReport(out, ev);
  const warningsFile = join(out, 'warnings.txt');
  const datasetWarnings = [...ds.warnings, ...(req.extraWarnings ?? [])];
  await writeFileAtomic(warningsFile, formatVotWarnings(ev, datasetWarnings));
  const t3 = performance.now();
  const nWarn = datasetWarnings.length + ev.trackers.reduce((n, t) => n + t.warnings.length, 0);
  const text = [
    formatVotConsoleTable(ev).trimEnd(),
    '',
    `Rules (convention ${ev.convention}):`,
    ...ev.rules.map((r) => `  - ${r}`),
    '',
    `${nWarn} warning(s): ${warningsFile}`,
    `report: ${written.length + 1} file(s) in ${out}`,
    '',
  ].join('\n');
  return { ev, text, seconds: { import: (t1 - t0) / 1000, scoring: (t2 - t1) / 1000, report: (t3 - t2) / 1000 } };
}
