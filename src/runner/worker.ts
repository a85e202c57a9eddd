import { Interrupted } from '../core/errors.ts';
import { imageToToolkit } from '../core/types.ts';
import { type ComputeChoice, selectCompute } from '../compute/engine.ts';
import { writeFileAtomic } from '../core/fs-atomic.ts';
import { writeOtbResult, writeOtbRun } from '../benchmarks/otb/results/write.ts';
import { shiftInitBox } from '../benchmarks/otb/metrics/robustness.ts';
import { toolkitToImage } from '../core/types.ts';
import { writeVotRun } from '../benchmarks/vot/results/write.ts';
import { getTrackerFactory, loadExternalTrackers } from '../trackers/registry.ts';
import type { TrackerFactory } from '../trackers/base/tracker.ts';
import { FrameReader } from './frames.ts';
import { serve } from '../workers/serve.ts';
import type { BenchWorkerData, BenchWorkerInfo, Job, JobRecord, OpeJob, VotJob } from './jobs.ts';
import { runOnePass } from './ope.ts';
import { runMultistartJob } from './multistart-job.ts';
import { runVotSupervised, runVotUnsupervised } from './vot-protocol.ts';

/**
 * A worker thread with its own engine (ORT sessions or a TensorFlow.js backend). It runs one job at a time and writes the job's
 * files itself (atomically), so a job's output is complete on disk before the main thread hears of it.
 */
const PROGRESS_EVERY_MS = 250;

type Outcome = Pick<JobRecord, 'frames' | 'trackerSeconds' | 'trackerRecord' | 'repetitions' | 'failures'>;

/** Progress messages at most every 250 ms, so a fast tracker does not flood the main thread. */
function throttled(send: (frames: number) => void) {
  let last = 0;
  return (frames: number) => {
    const now = performance.now();
    if (now - last >= PROGRESS_EVERY_MS) {
      last = now;
      send(frames);
    }
  };
}

async function runOpe(job: OpeJob, factory: TrackerFactory, compute: ComputeChoice, onFrames: (n: number) => void): Promise<Outcome> {
  if (job.runs) return runRobustness(job, factory, compute, onFrames);
  const tracker = await factory.create({ backend: compute.backend, compute, seed: job.seed });
  try {
    const run = await runOnePass(tracker, new FrameReader(job.images, factory.needsPixels), job.init, onFrames);
    await writeOtbResult(job.rawDir, job.tracker, job.target, run.boxes.map(imageToToolkit), run.times);
    return { frames: run.boxes.length, trackerSeconds: sum(run.times), trackerRecord: tracker.describe?.() };
  } finally {
    await tracker.dispose?.();
  }
}

/**
 * TRE or SRE: one fresh tracker per run (a run must not see what an earlier one learnt), run k
 * written as soon as it ends. SRE's boxes are shifted within the first frame's size, as shiftInitBB.
 */
async function runRobustness(
  job: OpeJob,
  factory: TrackerFactory,
  compute: ComputeChoice,
  onFrames: (n: number) => void,
): Promise<Outcome> {
  let frames = 0;
  let seconds = 0;
  let trackerRecord: Record<string, unknown> | undefined;
  for (const [k, r] of job.runs!.entries()) {
    const reader = new FrameReader(job.images.slice(r.start), factory.needsPixels);
    const size = r.shift ? await reader.get(0) : undefined;
    const box = size && r.shift ? shiftInitBox(r.gt, r.shift, size.width, size.height) : r.gt;
    const tracker = await factory.create({ backend: compute.backend, compute, seed: job.seed });
    try {
      const run = await runOnePass(tracker, reader, toolkitToImage(box), (n) => onFrames(frames + n));
      await writeOtbRun(job.rawDir, job.tracker, job.target, k + 1, run.boxes.map(imageToToolkit), run.times);
      frames += run.boxes.length;
      seconds += sum(run.times);
      trackerRecord ??= tracker.describe?.();
    } finally {
      tracker.dispose?.();
    }
  }
  return { frames, trackerSeconds: seconds, trackerRecord };
}

async function runVot(job: VotJob, factory: TrackerFactory, compute: ComputeChoice, onFrames: (n: number) => void): Promise<Outcome> {
  const reader = new FrameReader(job.images, factory.needsPixels);
  let frames = 0;
  let trackerRecord: Record<string, unknown> | undefined;
  const seq = {
    name: job.target,
    groundtruth: job.groundtruth,
    width: job.width,
    height: job.height,
    frame: (i: number) => {
      onFrames(++frames);
      return reader.get(i);
    },
  };
  if (job.experiment === 'unsupervised') {
    const tracker = await factory.create({ backend: compute.backend, compute, seed: job.seed });
    try {
      const run = await runVotUnsupervised(tracker, seq);
      await writeVotRun(job.rawDir, job.tracker, 'unsupervised', job.target, 1, run);
      return {
        frames,
        trackerSeconds: sum(run.times.filter(Number.isFinite)),
        trackerRecord: tracker.describe?.(),
        repetitions: 1,
        failures: [0],
      };
    } finally {
      await tracker.dispose?.();
    }
  }
  // A fresh tracker per repetition, each with its own seed, as the toolkit restarts the tracker.
  const { runs } = await runVotSupervised(
    async (rep) => {
      const t = await factory.create({ backend: compute.backend, compute, seed: job.seed + rep - 1 });
      trackerRecord ??= t.describe?.();
      return t;
    },
    factory,
    seq,
    {
      maxRepetitions: job.maxRepetitions,
      onRun: async (rep, run) => {
        await writeVotRun(job.rawDir, job.tracker, 'baseline', job.target, rep, run);
      },
    },
  );
  const times = runs.flatMap((r) => r.times.filter(Number.isFinite));
  return { frames, trackerSeconds: sum(times), trackerRecord, repetitions: runs.length, failures: runs.map((r) => r.failures) };
}

function sum(v: number[]): number {
  return v.reduce((a, b) => a + b, 0);
}

async function runJob(job: Job, compute: ComputeChoice, progress: (frames: number) => void, stop: Int32Array): Promise<JobRecord> {
  const t0 = performance.now();
  const base = {
    tracker: job.tracker,
    target: job.target,
    backend: compute.label,
    compute: { engine: compute.engine, provider: compute.provider, threads: compute.threads },
  };
  const report = throttled(progress);
  let framesSeen = 0;
  const onFrames = (n: number) => {
    // Ctrl-C: the job ends between frames, so no engine is torn down in the middle of a call.
    if (Atomics.load(stop, 0) === 1) throw new Interrupted();
    framesSeen = n;
    report(n);
  };
  try {
    const factory = getTrackerFactory(job.tracker);
    const o =
      job.kind === 'ope'
        ? await runOpe(job, factory, compute, onFrames)
        : job.kind === 'multistart'
          ? await runMultistartJob(job, factory, compute, onFrames)
          : await runVot(job, factory, compute, onFrames);
    return {
      ...base,
      status: 'ok',
      ...o,
      wallSeconds: (performance.now() - t0) / 1000,
      fps: o.trackerSeconds > 0 ? o.frames / o.trackerSeconds : 0,
      finishedAt: new Date().toISOString(),
    };
  } catch (err) {
    // An interrupted job leaves no record: a rerun runs it again from the start.
    if (err instanceof Interrupted) throw err;
    // A tracker that throws fails this sequence only; the record says why and the run goes on.
    return {
      ...base,
      status: 'failed',
      error: (err as Error)?.message ?? String(err),
      frames: framesSeen,
      trackerSeconds: 0,
      wallSeconds: (performance.now() - t0) / 1000,
      fps: 0,
      finishedAt: new Date().toISOString(),
    };
  }
}

void serve<Job, JobRecord, number, BenchWorkerInfo, BenchWorkerData>(async (data) => {
  const compute = await selectCompute(data.compute, data.workers);
  await loadExternalTrackers();
  return {
    info: { backend: compute.label, fallback: compute.fallback },
    run: async (job, progress) => {
      if (Atomics.load(data.stop, 0) === 1) throw new Interrupted();
      const record = await runJob(job, compute, progress, data.stop);
      await writeFileAtomic(job.recordFile, JSON.stringify(record, null, 1) + '\n');
      return record;
    },
  };
});
