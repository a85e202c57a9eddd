/**
 * Times the VOT evaluation of the real VOT2019 result sets: dataset load, result import, scoring per
 * convention and report writing. Prints figures only; nothing here asserts on time.
 *   npm run perf:eval-vot -- [--root <VOT2019.json|layout dir>] [--results <dir>] [--keep <dir>]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { runMain } from '../src/core/cli-main.ts';
import { loadVot } from '../src/benchmarks/vot/dataset/index.ts';
import { evaluateVot } from '../src/benchmarks/vot/eval/evaluate.ts';
import { writeVotReport } from '../src/benchmarks/vot/report/report.ts';
import { importVotResults } from '../src/benchmarks/vot/results/index.ts';
import { realDataOption } from './realdata.ts';

const ms = (t0: number) => (performance.now() - t0).toFixed(0).padStart(6);

async function main(): Promise<void> {
  const opts = new Command('npm run perf:eval-vot --')
    .addOption(realDataOption('--root <path>', 'VOT2019 annotations', 'vot', 'VOT2019.json'))
    .addOption(realDataOption('--results <dir>', 'folder of tracker result folders', 'results', 'VOT2019'))
    .option('--keep <dir>', 'write the reports here instead of a temporary folder')
    .parse(process.argv)
    .opts<{ root: string; results: string; keep?: string }>();

  let t0 = performance.now();
  const ds = await loadVot('VOT2019', opts.root);
  const frames = ds.sequences.reduce((n, s) => n + s.length, 0);
  console.log(`dataset  ${ms(t0)} ms  (${ds.sequences.length} sequences, ${frames} frames)`);
  t0 = performance.now();
  const results = await importVotResults(opts.results, ds);
  console.log(`import   ${ms(t0)} ms  (${results.length} trackers)`);

  const out = opts.keep ?? (await mkdtemp(join(tmpdir(), 'perf-eval-vot-')));
  try {
    for (const convention of ['legacy', 'pysot'] as const) {
      for (const r of results) {
        t0 = performance.now();
        const ev = evaluateVot(ds, [r], convention);
        const t = ev.trackers[0];
        console.log(
          `${convention.padEnd(7)} ${r.tracker.padEnd(22)} ${ms(t0)} ms  EAO ${t.eao.toFixed(3)}  A ${t.accuracy.toFixed(3)}  ` +
            `R ${t.robustness.toFixed(3)}  failures ${t.failures}`,
        );
      }
      t0 = performance.now();
      const ev = evaluateVot(ds, results, convention);
      const tScore = ms(t0);
      t0 = performance.now();
      await writeVotReport(join(out, convention), ev);
      console.log(`${convention.padEnd(7)} all three scored in ${tScore} ms, report written in ${ms(t0)} ms`);
    }
  } finally {
    if (!opts.keep) await rm(out, { recursive: true, force: true });
  }
}

runMain(main);
