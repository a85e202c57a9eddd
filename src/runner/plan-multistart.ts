import { existsSync } from 'node:fs';
import { UserError } from '../core/errors.ts';
import { findStack } from '../benchmarks/vot2020/dataset/stacks.ts';
import { anchors, type Vot2020Dataset } from '../benchmarks/vot2020/dataset/types.ts';
import { multistartName, repetitionName, trajectoryBase } from '../benchmarks/vot2020/results/files.ts';
import type { MultistartJob } from './jobs.ts';
import { multistartFrames } from './multistart.ts';
import { type Planned, planned, readRecord, recordPath, runPaths } from './plan.ts';

/**
 * VOT2020+ jobs for every tracker on every sequence: the stack's multistart (baseline) and
 * unsupervised experiments, or its long-term one. A job is done when its record says ok and its
 * first result file exists. The realtime experiment is not run (it needs the toolkit's timing
 * simulation).
 */
export function planMultistartJobs(ds: Vot2020Dataset, trackers: string[], outDir: string, seed: number): Planned<MultistartJob>[] {
  const { raw } = runPaths(outDir);
  const stack = findStack(ds.name) ?? findStack('VOT2022')!;
  const experiments = stack.experiments.flatMap((e) =>
    e.kind === 'multistart' ? ['baseline' as const] : e.kind === 'unsupervised' || e.kind === 'longterm' ? [e.kind] : [],
  );
  const hasBaseline = experiments.includes('baseline');
  // the unsupervised and long-term experiments are one run over the whole sequence each
  const singleRuns = experiments.length - (hasBaseline ? 1 : 0);
  const plan: Planned<MultistartJob>[] = [];
  for (const seq of ds.sequences) {
    if (!existsSync(seq.frames[0])) {
      throw new UserError(
        `--root: ${ds.root} has no images for ${seq.name} (running trackers needs ${seq.frames[0]}; eval needs annotations only)`,
      );
    }
    const list = anchors(seq);
    if (hasBaseline && list.length === 0) throw new UserError(`${seq.dir}: no anchor.value, which the multistart experiment needs`);
    for (const tracker of trackers) {
      const recordFile = recordPath(outDir, tracker, seq.name);
      const job: MultistartJob = {
        kind: 'multistart',
        experiments,
        tracker,
        target: seq.name,
        images: seq.frames,
        groundtruth: seq.groundtruth,
        anchors: hasBaseline ? list : [],
        rawDir: raw,
        recordFile,
        seed,
        expectedFrames: (hasBaseline ? multistartFrames({ length: seq.length, anchors: list }) : 0) + singleRuns * seq.length,
      };
      const first = hasBaseline
        ? trajectoryBase(raw, tracker, 'baseline', seq.name, multistartName(seq.name, list[0].frame))
        : trajectoryBase(raw, tracker, experiments[0], seq.name, repetitionName(seq.name, 1));
      plan.push(planned(job, readRecord(recordFile), () => existsSync(`${first}.txt`)));
    }
  }
  return plan;
}
