import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { listDirSync } from '../../core/dir-entries.ts';
import { UserError } from '../../core/errors.ts';
import { reportFiles } from '../../output/files.ts';
import { findStack } from './dataset/stacks.ts';
import type { Vot2020Dataset } from './dataset/types.ts';
import { evaluateVot2020, type Vot2020Evaluation } from './eval/evaluate.ts';
import { arPlot, eaoCurvePlot, prPlot } from './report/plots.ts';
import { consoleTable, curveCsv, prCurveCsv, sequencesCsv, summaryCsv } from './report/tables.ts';

/** The tracker folders to score: those named (each must exist), or every folder. */
function trackerFolders(resultsDir: string, named?: string[]): string[] {
  const folders = listDirSync(resultsDir)
    .filter((e) => e.kind === 'dir')
    .map((e) => e.name)
    .sort();
  const unknown = named?.find((t) => !folders.includes(t));
  if (unknown !== undefined)
    throw new UserError(`--trackers: no folder '${unknown}' in ${resultsDir} (found ${folders.join(', ') || 'none'})`);
  return named ?? folders;
}

/**
 * Raw VOT2020+ results in the toolkit's workspace layout (`<results>/<tracker>/<experiment>/...`)
 * -> the stack's analyses -> summary.csv, sequences.csv, eao_curve.csv, pr_curve.csv, rules.txt,
 * warnings.txt and the EAO, A-R and precision-recall plots. Shared by `eval` and `bench`.
 */
export async function scoreVot2020Results(
  ds: Vot2020Dataset,
  resultsDir: string,
  out: string,
  req: { trackers?: string[]; extraWarnings?: string[] } = {},
): Promise<{ ev: Vot2020Evaluation; text: string }> {
  const stack = findStack(ds.name) ?? findStack('VOT2022')!;
  const trackers = trackerFolders(resultsDir, req.trackers);
  const ev = evaluateVot2020(ds, stack, resultsDir, trackers);
  const scored = ev.trackers.filter((t) => t.baseline || t.realtime || t.unsupervised || t.longterm);
  if (scored.length === 0) {
    const why = ev.trackers.flatMap((t) => t.warnings.map((w) => `${t.tracker}: ${w}`))[0];
    throw new UserError(
      `--results: no tracker in ${resultsDir} has ${stack.experiments.map((e) => e.id).join('/')} results for ${ds.name}${why ? ` (${why})` : ''}`,
    );
  }
  await mkdir(out, { recursive: true });
  const { written, put } = reportFiles(out);
  await put('summary.csv', summaryCsv(ev));
  await put('sequences.csv', sequencesCsv(ev));
  if (ev.trackers.some((t) => t.baseline || t.realtime)) {
    await put('eao_curve.csv', curveCsv(ev));
    await put('eao_curve.png', eaoCurvePlot(ev));
    await put('ar_plot.png', arPlot(ev));
  }
  if (ev.trackers.some((t) => t.longterm)) {
    await put('pr_curve.csv', prCurveCsv(ev));
    await put('pr_plot.png', prPlot(ev));
  }
  const rules = [
    `${ds.name}: the VOT2020+ stack (${stack.experiments.map((e) => e.id).join(', ')}) scored as the VOT toolkit v0.8 scores it.`,
    'Rules applied:',
    ...ev.rules.map((r) => `  - ${r}`),
  ];
  await put('rules.txt', rules.join('\n') + '\n');
  const warnings = [
    ...ds.warnings.map((w) => `dataset: ${w}`),
    ...(req.extraWarnings ?? []),
    ...ev.trackers.flatMap((t) => t.warnings.map((w) => `${t.tracker}: ${w}`)),
  ];
  await put(
    'warnings.txt',
    [`# ${ds.name}: defects found while loading and scoring`, ...(warnings.length ? warnings : ['(none)'])].join('\n') + '\n',
  );
  const text = [
    consoleTable(ev).trimEnd(),
    '',
    'Rules: see rules.txt',
    `${warnings.length} warning(s): ${join(out, 'warnings.txt')}`,
    `report: ${written.length} file(s) in ${out}`,
    '',
  ].join('\n');
  return { ev, text };
}
