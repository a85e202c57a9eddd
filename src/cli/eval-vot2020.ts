import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { missingPath } from '../core/dir-entries.ts';
import { UserError } from '../core/errors.ts';
import { resolveConvention } from '../benchmarks/registry/index.ts';
import { loadVot2020 } from '../benchmarks/vot2020/dataset/layout.ts';
import { scoreVot2020Results } from '../benchmarks/vot2020/benchmark.ts';
import type { VotEvalOptions } from './eval-vot.ts';
import { reportInto } from './parse.ts';

/** `eval --dataset VOT2020..VOT2022-LT`: scores results in the VOT toolkit's workspace layout. */
export async function runVot2020Eval(opts: VotEvalOptions, dataset: string): Promise<void> {
  resolveConvention('vot2020', opts.convention);
  // Its report does not name a subset yet; scoring one under the stack's name would mislabel it.
  if (opts.sequences || opts.commonSequences) throw new UserError(`--sequences, --common-sequences: not supported on ${dataset} yet`);
  const resultsDir = resolve(opts.results);
  if (!existsSync(resultsDir)) throw new UserError(`--results: ${missingPath(opts.results, resultsDir)}`);
  if (!statSync(resultsDir).isDirectory()) throw new UserError(`--results: not a directory: ${opts.results}`);
  const t0 = performance.now();
  const ds = await loadVot2020(dataset, opts.root);
  const { text } = await reportInto(opts.out, { dataset: ds.name, root: ds.root, results: resultsDir }, () =>
    scoreVot2020Results(ds, resultsDir, resolve(opts.out), opts.trackers ? { trackers: opts.trackers } : {}),
  );
  process.stdout.write(`${text}time: ${((performance.now() - t0) / 1000).toFixed(2)} s\n`);
}
