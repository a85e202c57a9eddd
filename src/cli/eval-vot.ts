import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs-atomic.ts';
import type { VotConvention } from '../core/types.ts';
import { loadVot } from '../datasets/vot/index.ts';
import { evaluateVot } from '../eval/vot.ts';
import { VOT_CONVENTIONS, votRules } from '../metrics/vot/conventions.ts';
import { formatVotConsoleTable, formatVotWarnings, writeVotReport } from '../report/vot-report.ts';
import { importVotResults } from '../results/vot/import.ts';

export interface VotEvalOptions {
  dataset: string;
  root: string;
  results: string;
  out: string;
  trackers?: string[];
  convention?: string;
}

/**
 * VOT2013..VOT2019 by year (case-insensitive); any other name is a VOT-layout dataset of its own
 * (e.g. `synthetic-vot`). VOT2020+ changed protocol (anchors, masks), which this does not implement.
 */
export function votDatasetName(name: string): string {
  const m = /^vot(\d{4})$/i.exec(name.trim());
  if (!m) return name.trim();
  const year = Number(m[1]);
  if (year >= 2020) throw new UserError(`--dataset: ${name} uses the anchor-based protocol and mask regions of VOT2020+, which are not implemented (VOT2013..VOT2019 are)`);
  if (year < 2013) throw new UserError(`--dataset: unknown dataset '${name}' (VOT ran from 2013)`);
  return `VOT${year}`;
}

/** `eval --dataset VOT...`: scores supervised (and unsupervised) VOT results and writes the report. */
export async function runVotEval(opts: VotEvalOptions): Promise<void> {
  const dataset = votDatasetName(opts.dataset);
  const convention = opts.convention ?? 'legacy';
  if (!votRules(convention)) {
    throw new UserError(`--convention: unknown convention '${convention}' for VOT (expected ${Object.keys(VOT_CONVENTIONS).join(', ')})`);
  }
  const root = resolve(opts.root);
  if (!existsSync(root)) throw new UserError(`--root: no such file or directory: ${opts.root}`);
  const resultsDir = resolve(opts.results);
  if (!existsSync(resultsDir)) throw new UserError(`--results: no such file or directory: ${opts.results}`);
  if (!statSync(resultsDir).isDirectory()) throw new UserError(`--results: not a directory: ${opts.results}`);
  if (!readdirSync(resultsDir, { withFileTypes: true }).some((e) => e.isDirectory())) {
    throw new UserError(`--results: no tracker folders in ${opts.results} (expected <results>/<tracker>/baseline/<seq>/<seq>_001.txt)`);
  }

  const t0 = performance.now();
  const ds = await loadVot(dataset, root);
  const t1 = performance.now();
  const results = await importVotResults(resultsDir, ds, opts.trackers ? { trackers: opts.trackers } : undefined);
  if (results.length === 0) {
    throw new UserError(`--results: no tracker in ${opts.results} has a baseline/ or unsupervised/ folder`);
  }
  const t2 = performance.now();
  const ev = evaluateVot(ds, results, convention as VotConvention);
  const t3 = performance.now();

  const out = resolve(opts.out);
  await mkdir(out, { recursive: true });
  const written = await writeVotReport(out, ev);
  const warningsFile = join(out, 'warnings.txt');
  await writeFileAtomic(warningsFile, formatVotWarnings(ev, ds.warnings));
  const t4 = performance.now();

  const nWarn = ds.warnings.length + ev.trackers.reduce((n, t) => n + t.warnings.length, 0);
  const s = (a: number, b: number) => ((b - a) / 1000).toFixed(2);
  const lines = [
    formatVotConsoleTable(ev).trimEnd(),
    '',
    `Rules (convention ${ev.convention}):`,
    ...ev.rules.map((r) => `  - ${r}`),
    '',
    `${nWarn} warning(s): ${warningsFile}`,
    `time: ${s(t0, t4)} s (dataset ${s(t0, t1)} s, import ${s(t1, t2)} s, scoring ${s(t2, t3)} s, report ${s(t3, t4)} s)`,
    `report: ${written.length + 1} file(s) in ${out}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
