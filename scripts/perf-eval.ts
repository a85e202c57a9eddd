/**
 * Times the OTB evaluation on every real result set: parse (dataset + result import), metrics and
 * report, per tracker and in total. Prints figures only; nothing here asserts on time.
 *   npm run perf:eval -- [--root <OTB100.json|anno dir>] [--convention otb|pysot|got10k] [--keep <dir>]
 */
import { readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { runMain } from '../src/core/cli-main.ts';
import { UserError } from '../src/core/errors.ts';
import type { OtbConvention } from '../src/core/types.ts';
import { loadOtb } from '../src/benchmarks/otb/dataset/index.ts';
import type { OtbDataset } from '../src/benchmarks/otb/dataset/types.ts';
import { evaluateOtb } from '../src/benchmarks/otb/eval/evaluate.ts';
import { conventionRules } from '../src/benchmarks/otb/metrics/conventions.ts';
import { writeOtbReport } from '../src/benchmarks/otb/report/report.ts';
import { importOtbResults, type TrackerResults } from '../src/benchmarks/otb/results/index.ts';
import { realDataOption } from './realdata.ts';

const ms = (t0: number) => performance.now() - t0;
const f = (v: number) => v.toFixed(1).padStart(8);

/** Each tracker of each result set read and scored alone: its row of the table and the summed times. */
async function timeEachTracker(ds: OtbDataset, results: string, convention: OtbConvention) {
  const groups = readdirSync(results).filter(
    (g) => g !== 'toolkit-mat' && !g.endsWith('-reports') && statSync(join(results, g)).isDirectory(),
  );
  const all: TrackerResults[] = [];
  const rows: string[] = [];
  let tParse = 0;
  let tMetricsSum = 0;
  for (const g of groups) {
    const dir = join(results, g);
    const names = readdirSync(dir).filter((n) => statSync(join(dir, n)).isDirectory());
    for (const name of names) {
      let t0 = performance.now();
      const [tr] = await importOtbResults(dir, ds, { trackers: [name] });
      const tp = ms(t0);
      tParse += tp;
      if (!tr) continue;
      tr.tracker = `${g}/${tr.tracker}`;
      all.push(tr);
      t0 = performance.now();
      const ev = evaluateOtb(ds, [tr], convention);
      const tm = ms(t0);
      tMetricsSum += tm;
      const o = ev.trackers[0].overall;
      const boxes = [...tr.sequences.values()].reduce((n, s) => n + s.boxes.length, 0);
      rows.push(
        `${tr.tracker.padEnd(36)} ${String(o.sequences).padStart(4)} ${String(boxes).padStart(7)} ` +
          `${o.successAuc.toFixed(3)} ${o.precision20.toFixed(3)} ${f(tp)} ${f(tm)} ${String(ev.trackers[0].warnings.length).padStart(5)}`,
      );
    }
  }
  return { all, rows, tParse, tMetricsSum };
}

async function main(): Promise<void> {
  const opts = new Command('npm run perf:eval --')
    .addOption(realDataOption('--root <path>', 'OTB100 annotations', 'otb', 'OTB100.json'))
    .addOption(realDataOption('--results <dir>', 'folder of result sets (each holding tracker folders)', 'results', 'OTB100'))
    .option('--convention <name>', 'otb | pysot | got10k', 'otb')
    .option('--keep <dir>', 'write the report here instead of a temporary folder')
    .parse(process.argv)
    .opts<{ root: string; results: string; convention: string; keep?: string }>();
  if (!conventionRules(opts.convention)) throw new UserError(`--convention: unknown convention '${opts.convention}'`);

  let t0 = performance.now();
  const ds = await loadOtb('OTB100', opts.root);
  const tDataset = ms(t0);

  const { all, rows, tParse, tMetricsSum } = await timeEachTracker(ds, opts.results, opts.convention as OtbConvention);

  t0 = performance.now();
  const evAll = evaluateOtb(ds, all, opts.convention as OtbConvention);
  const tMetricsAll = ms(t0);

  const out = opts.keep ?? (await mkdtemp(join(tmpdir(), 'perf-eval-')));
  t0 = performance.now();
  const files = await writeOtbReport(out, evAll);
  const tReport = ms(t0);
  if (!opts.keep) await rm(out, { recursive: true, force: true });

  const boxesAll = all.reduce((n, tr) => n + [...tr.sequences.values()].reduce((m, s) => m + s.boxes.length, 0), 0);
  process.stdout.write(
    [
      `OTB100 (${ds.targets.length} targets, root ${opts.root}), convention ${opts.convention}, node ${process.version}`,
      '',
      `${'tracker'.padEnd(36)} seqs   boxes   auc   p@20  parse ms metric ms warns`,
      ...rows,
      '',
      `dataset load          ${f(tDataset)} ms`,
      `parse (all trackers)  ${f(tParse)} ms`,
      `metrics, one by one   ${f(tMetricsSum)} ms`,
      `metrics, all at once  ${f(tMetricsAll)} ms  (${all.length} trackers, ${boxesAll} boxes)`,
      `report                ${f(tReport)} ms  (${files.length} files)`,
      '',
    ].join('\n'),
  );
}

runMain(main);
