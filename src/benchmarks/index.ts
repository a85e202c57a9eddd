import { UserError } from '../core/errors.ts';
import { resolve } from 'node:path';
import { removeStaleTemps } from '../core/stale-temps.ts';
import { type SequenceSelection, pickSequences } from './common/subset.ts';
import { type OtbDataset, loadOtb } from './otb/dataset/index.ts';
import { scoreOtbResults } from './otb/benchmark.ts';
import type { OtbEvaluation } from './otb/metrics/types.ts';
import { type BenchmarkFamily, resolveConvention } from './registry/index.ts';
import { loadVot } from './vot/dataset/index.ts';
import type { VotDataset } from './vot/dataset/types.ts';
import { scoreVotResults } from './vot/benchmark.ts';
import type { VotEvaluation } from './vot/eval/types.ts';
import { loadVot2020 } from './vot2020/dataset/layout.ts';
import type { Vot2020Dataset } from './vot2020/dataset/types.ts';
import { scoreVot2020Results } from './vot2020/benchmark.ts';
import type { Vot2020Evaluation } from './vot2020/eval/evaluate.ts';

/**
 * What eval, bench and the study need of a benchmark family: load a dataset from a root in any
 * form users have it, and score a folder of raw results into a report with a named convention. A
 * new family (LaSOT, UAV123, GOT-10k) is a folder beside otb/ and vot/ holding its loader, result
 * formats, metrics and report, plus one entry here and its names in registry/.
 */
export interface Benchmark<D, E> {
  family: BenchmarkFamily;
  load(name: string, root: string): Promise<D>;
  /** How many sequences (targets) the loaded dataset holds. */
  size(ds: D): number;
  score(ds: D, resultsDir: string, out: string, req: ScoreRequest): Promise<{ ev: E; text: string }>;
}

export interface ScoreRequest {
  /** A convention name of the family (checked here); its default when absent. */
  convention?: string;
  /** Tracker folders to score (default: every folder). */
  trackers?: string[];
  /** Defects found before scoring (failed runs, ...), listed in warnings.txt with the dataset's. */
  extraWarnings?: string[];
  /** Score every tracker on only the sequences all of them have results for (--common-sequences). */
  commonSequences?: boolean;
  /** OTB: the robustness experiment whose runs are scored (default one-pass). */
  experiment?: 'ope' | 'tre' | 'sre';
  /** OTB: the tracker every other one is compared with. */
  baseline?: string;
  /** Trackers that read no pixels (static): their speed is printed, never taken as the best. */
  pixelFree?: readonly string[];
}

const otb: Benchmark<OtbDataset, OtbEvaluation> = {
  family: 'otb',
  load: (name, root) => loadOtb(name, resolve(root)),
  size: (ds) => ds.targets.length,
  score: (ds, dir, out, req) =>
    scoreOtbResults(ds, dir, out, { ...req, convention: resolveConvention('otb', req.convention, '--convention', ds.name) }),
};

const vot: Benchmark<VotDataset, VotEvaluation> = {
  family: 'vot',
  load: (name, root) => loadVot(name, resolve(root)),
  size: (ds) => ds.sequences.length,
  score: (ds, dir, out, req) => scoreVotResults(ds, dir, out, { ...req, convention: resolveConvention('vot', req.convention) }),
};

const vot2020: Benchmark<Vot2020Dataset, Vot2020Evaluation> = {
  family: 'vot2020',
  load: (name, root) => loadVot2020(name, resolve(root)),
  size: (ds) => ds.sequences.length,
  score: (ds, dir, out, req) => {
    resolveConvention('vot2020', req.convention);
    return scoreVot2020Results(ds, dir, out, req);
  },
};

export const BENCHMARKS = { otb, vot, vot2020 } as const;

/** A loaded dataset with its family, so that callers can hold either. */
export type LoadedDataset = { kind: 'otb'; ds: OtbDataset } | { kind: 'vot'; ds: VotDataset } | { kind: 'vot2020'; ds: Vot2020Dataset };
export type Evaluation =
  { kind: 'otb'; ev: OtbEvaluation } | { kind: 'vot'; ev: VotEvaluation } | { kind: 'vot2020'; ev: Vot2020Evaluation };

export async function loadDataset(family: BenchmarkFamily, name: string, root: string): Promise<LoadedDataset> {
  if (family === 'vot2020') return { kind: 'vot2020', ds: await vot2020.load(name, root) };
  return family === 'otb' ? { kind: 'otb', ds: await otb.load(name, root) } : { kind: 'vot', ds: await vot.load(name, root) };
}

/**
 * The sequences a user chose (--sequences) out of a loaded dataset; the reports then name the
 * subset ("OTB100, hard: 20 of 100 sequences").
 */
export function selectSequences(data: LoadedDataset, sel: SequenceSelection): LoadedDataset {
  if (data.kind === 'otb') {
    const { ds } = data;
    const targets = pickSequences(ds.targets, (t) => t.name, sel, ds.name);
    return { kind: 'otb', ds: { ...ds, targets, scope: { total: ds.targets.length, ...ds.scope, name: sel.name } } };
  }
  // VOT2020+ reports do not name a subset yet: a subset scored under the stack's name would mislabel it.
  if (data.kind === 'vot2020') throw new UserError(`--sequences: not supported on ${data.ds.name} yet (its report cannot name a subset)`);
  const { ds } = data;
  const sequences = pickSequences(ds.sequences, (s) => s.name, sel, ds.name);
  return { kind: 'vot', ds: { ...ds, sequences, scope: { total: ds.sequences.length, ...ds.scope, name: sel.name } } };
}

export function datasetSize(data: LoadedDataset): number {
  return data.kind === 'otb' ? otb.size(data.ds) : data.kind === 'vot' ? vot.size(data.ds) : vot2020.size(data.ds);
}

/** Raw results on disk -> metrics -> report, for a dataset of either family. */
export async function scoreResults(
  data: LoadedDataset,
  resultsDir: string,
  out: string,
  req: ScoreRequest,
): Promise<{ evaluation: Evaluation; text: string }> {
  // The report is about to be written by this one process: debris of a killed writer goes first.
  removeStaleTemps(out);
  if (data.kind === 'otb') {
    const { ev, text } = await otb.score(data.ds, resultsDir, out, req);
    return { evaluation: { kind: 'otb', ev }, text };
  }
  if (data.kind === 'vot2020') {
    const { ev, text } = await vot2020.score(data.ds, resultsDir, out, req);
    return { evaluation: { kind: 'vot2020', ev }, text };
  }
  const { ev, text } = await vot.score(data.ds, resultsDir, out, req);
  return { evaluation: { kind: 'vot', ev }, text };
}
