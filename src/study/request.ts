import type { ComputeRequest } from '../compute/engine.ts';
import type { StudySpec } from './spec.ts';

/** What a study is run with: the spec, its folders, the compute options, where to log. */
export interface StudyRequest {
  spec: StudySpec;
  out: string;
  /** Generated data (training split, synthetic test sets); default <out>/data. */
  data?: string;
  /** Parallel jobs: training processes, then tracking workers. */
  concurrency: number;
  compute: ComputeRequest;
  /** The `npm run train` entry point, run in child processes (the CLI layer passes it down). */
  trainCli: string;
  log: (line: string) => void;
}

export const elapsed = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(0)} s`;
