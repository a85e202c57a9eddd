import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { danglingTail, listDirSync, missingPath } from '../core/dir-entries.ts';
import { UserError } from '../core/errors.ts';
import { loadVot } from '../benchmarks/vot/dataset/index.ts';
import { findDataset, resolveConvention, resolveDataset } from '../benchmarks/registry/index.ts';
import { scoreVotResults } from '../benchmarks/vot/benchmark.ts';
import { reportInto } from './parse.ts';
import { syntheticLayoutDir } from '../synthetic/manifest.ts';
import type { SequenceSelection } from '../benchmarks/common/subset.ts';
import { selectSequences } from '../benchmarks/index.ts';

export interface VotEvalOptions {
  dataset: string;
  root: string;
  results: string;
  out: string;
  trackers?: string[];
  convention?: string;
  sequences?: SequenceSelection;
  commonSequences?: boolean;
}

/**
 * VOT2013..VOT2019 by year (case-insensitive); any other name is a VOT-layout dataset of its own
 * (e.g. `synthetic-vot`). VOT2020+ changed protocol (anchors, masks), which this does not implement.
 */
export function votDatasetName(name: string): string {
  const known = findDataset(name);
  if (known?.family === 'vot') return known.name;
  // A year that is not in the registry (VOT2012, VOT2020+) is an error, not a set of one's own.
  if (/^vot-?\d{4}$/i.test(name.trim())) return resolveDataset(name, { family: 'vot' }).name;
  return name.trim();
}

/** `eval --dataset VOT...`: scores supervised (and unsupervised) VOT results and writes the report. */
export async function runVotEval(opts: VotEvalOptions): Promise<void> {
  const dataset = votDatasetName(opts.dataset);
  const convention = resolveConvention('vot', opts.convention);
  const root = syntheticLayoutDir(resolve(opts.root), 'vot');
  if (!existsSync(root)) throw new UserError(`--root: ${missingPath(opts.root, root)}`);
  const resultsDir = resolve(opts.results);
  if (!existsSync(resultsDir)) throw new UserError(`--results: ${missingPath(opts.results, resultsDir)}`);
  if (!statSync(resultsDir).isDirectory()) throw new UserError(`--results: not a directory: ${opts.results}`);
  // Tracker folders may be symbolic links; if every one is dangling, say so rather than 'no folders'.
  const entries = listDirSync(resultsDir);
  if (!entries.some((e) => e.kind === 'dir')) {
    throw new UserError(
      `--results: no tracker folders in ${opts.results} (expected <results>/<tracker>/baseline/<seq>/<seq>_001.txt)${danglingTail(entries)}`,
    );
  }

  const t0 = performance.now();
  const all = await loadVot(dataset, root);
  const picked = opts.sequences ? selectSequences({ kind: 'vot', ds: all }, opts.sequences) : undefined;
  const ds = picked?.kind === 'vot' ? picked.ds : all;
  const t1 = performance.now();
  const { text, seconds } = await reportInto(opts.out, { dataset: ds.name, root: ds.root, results: resultsDir }, () =>
    scoreVotResults(ds, resultsDir, resolve(opts.out), {
      convention,
      commonSequences: opts.commonSequences === true,
      ...(opts.trackers ? { trackers: opts.trackers } : {}),
    }),
  );
  const s = (v: number) => v.toFixed(2);
  const total = (performance.now() - t0) / 1000;
  process.stdout.write(
    `${text}time: ${s(total)} s (dataset ${s((t1 - t0) / 1000)} s, import ${s(seconds.import)} s, scoring ${s(seconds.scoring)} s, report ${s(seconds.report)} s)\n`,
  );
}
