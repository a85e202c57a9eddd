import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors.ts';
import { toolkitToImage } from '../core/types.ts';
import type { OtbDataset } from '../benchmarks/otb/dataset/types.ts';
import type { VotDataset } from '../benchmarks/vot/dataset/types.ts';
import { MAX_REPETITIONS } from '../benchmarks/vot/results/import.ts';
import { votResultPath } from '../benchmarks/vot/results/write.ts';
import type { Job, JobRecord, OpeJob, VotJob } from './jobs.ts';
import { readUtf8Sync } from '../core/text-file.ts';
import { type OtbExperiment, SRE_SHIFTS, treStarts } from '../benchmarks/otb/metrics/robustness.ts';
import { otbRunPath } from '../benchmarks/otb/results/write.ts';

/** A planned job and, when an earlier run (or another shard) finished it, its record. */
export interface Planned<J extends Job = Job> {
  job: J;
  done?: JobRecord;
  /** Not done, and its last record says why it failed. */
  failed?: JobRecord;
}

export function planned<J extends Job>(job: J, record: JobRecord | undefined, resultExists: () => boolean): Planned<J> {
  if (record?.status === 'ok' && resultExists()) return { job, done: record };
  return record?.status === 'failed' ? { job, failed: record } : { job };
}

/** The jobs left to run and the records of those done. */
export function splitDone<J extends Job>(planned: readonly Planned<J>[]): { jobs: J[]; done: JobRecord[] } {
  return {
    jobs: planned.filter((p) => !p.done).map((p) => p.job),
    done: planned.flatMap((p) => (p.done ? [p.done] : [])),
  };
}

/** A job's name in a run folder, unique per run: the key shards are split by. */
export function jobKey(job: { tracker: string; target: string }): string {
  return `${job.tracker}/${job.target}`;
}

/**
 * Where a bench run keeps its files: raw results (importable by eval), per-job records, and one
 * record per shard of a sharded run (each shard writes its own file, never a shared one).
 */
export function runPaths(outDir: string) {
  return { raw: join(outDir, 'raw'), records: join(outDir, 'records'), shards: join(outDir, 'shards') };
}

export function recordPath(outDir: string, tracker: string, target: string): string {
  return join(runPaths(outDir).records, tracker, `${target}.json`);
}

export function readRecord(file: string): JobRecord | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readUtf8Sync(file)) as JobRecord;
  } catch {
    return undefined; // written atomically, so only a hand-edited file gets here: run the job again
  }
}

/**
 * One-pass jobs for every tracker on every target, sequence-major so that all trackers advance
 * together. A job whose record says ok and whose result file exists is done: a resumed run skips it.
 * Failed jobs run again. Done jobs are planned too, so that shards split the same whole list.
 */
export function planOpeJobs(
  ds: OtbDataset,
  trackers: string[],
  outDir: string,
  seed: number,
  experiment: OtbExperiment = 'ope',
): Planned<OpeJob>[] {
  const { raw } = runPaths(outDir);
  const plan: Planned<OpeJob>[] = [];
  for (const target of ds.targets) {
    if (!target.images) {
      throw new UserError(
        `--root: ${ds.root} has no images for ${target.name} (running trackers needs <Seq>/img/*.jpg; eval needs annotations only)`,
      );
    }
    const from = target.initOmit;
    const runs = robustnessRuns(target, experiment);
    for (const tracker of trackers) {
      const recordFile = recordPath(outDir, tracker, target.name);
      const job: OpeJob = {
        kind: 'ope',
        tracker,
        target: target.name,
        images: target.images.slice(from),
        init: toolkitToImage(target.groundTruth[from]),
        rawDir: raw,
        recordFile,
        seed,
        expectedFrames: target.images.length - from,
      };
      if (runs)
        Object.assign(job, { images: target.images, runs, expectedFrames: runs.reduce((a, r) => a + target.images!.length - r.start, 0) });
      const file = runs ? otbRunPath(raw, tracker, target.name, 1) : join(raw, tracker, `${target.name}.txt`);
      plan.push(planned(job, readRecord(recordFile), () => existsSync(file)));
    }
  }
  return plan;
}

/** TRE's 20 segments (splitSeqTRE) or SRE's 12 shifted first boxes from the one-pass start; none for OPE. */
function robustnessRuns(target: OtbDataset['targets'][number], experiment: OtbExperiment): OpeJob['runs'] {
  if (experiment === 'ope') return undefined;
  if (experiment === 'sre') return SRE_SHIFTS.map((shift) => ({ start: target.initOmit, gt: target.groundTruth[target.initOmit], shift }));
  const starts = treStarts(target.name, target.frames, target.groundTruth);
  if (starts.length === 0) throw new UserError(`${target.name}: no TRE segment of 20 frames with valid ground truth to start from`);
  return starts.map((f) => {
    const start = target.frames.indexOf(f);
    return { start, gt: target.groundTruth[start] };
  });
}

/**
 * VOT jobs (supervised by default, or unsupervised) for every tracker on every sequence, skipping
 * those a previous run finished (record ok and the first repetition's file present).
 */
export function planVotJobs(
  ds: VotDataset,
  trackers: { name: string; deterministic: boolean }[],
  outDir: string,
  seed: number,
  experiment: VotJob['experiment'] = 'baseline',
  maxRepetitions = MAX_REPETITIONS,
): Planned<VotJob>[] {
  const { raw } = runPaths(outDir);
  const plan: Planned<VotJob>[] = [];
  for (const seq of ds.sequences) {
    if (!seq.hasImages) {
      throw new UserError(
        `--root: ${ds.root} has no images for ${seq.name} (running trackers needs <seq>/color/*.jpg; eval needs annotations only)`,
      );
    }
    for (const t of trackers) {
      const recordFile = recordPath(outDir, t.name, experiment === 'baseline' ? seq.name : `${seq.name}.unsupervised`);
      const job: VotJob = {
        kind: 'vot',
        experiment,
        tracker: t.name,
        target: seq.name,
        images: seq.frames,
        groundtruth: seq.groundtruth,
        ...(seq.width !== undefined && seq.height !== undefined ? { width: seq.width, height: seq.height } : {}),
        maxRepetitions,
        rawDir: raw,
        recordFile,
        seed,
        expectedFrames:
          experiment === 'unsupervised' ? seq.length : seq.length * (t.deterministic ? Math.min(3, maxRepetitions) : maxRepetitions),
      };
      plan.push(planned(job, readRecord(recordFile), () => existsSync(votResultPath(raw, t.name, experiment, seq.name, 1))));
    }
  }
  return plan;
}
