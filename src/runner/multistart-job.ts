import type { ComputeChoice } from '../compute/engine.ts';
import { initBox } from '../benchmarks/vot2020/regions/convert.ts';
import { multistartName, repetitionName, trajectoryBase, writeTrajectory } from '../benchmarks/vot2020/results/files.ts';
import type { TrackerFactory } from '../trackers/base/tracker.ts';
import type { JobRecord, MultistartJob } from './jobs.ts';
import { runFromAnchor, runMultistart } from './multistart.ts';

type Outcome = Pick<JobRecord, 'frames' | 'trackerSeconds' | 'trackerRecord' | 'repetitions' | 'failures'>;

/**
 * Runs a VOT2020+ job in a worker: each multistart run and the single run from frame 0 get a fresh
 * tracker with the job's seed; every run's file is written (atomically) as soon as it ends, in the
 * VOT toolkit's layout under <raw>/<tracker>/<experiment>/<seq>/.
 */
export async function runMultistartJob(
  job: MultistartJob,
  factory: TrackerFactory,
  compute: ComputeChoice,
  onFrames: (n: number) => void,
): Promise<Outcome> {
  let frames = 0,
    seconds = 0;
  let trackerRecord: Record<string, unknown> | undefined;
  const create = async () => {
    const t = await factory.create({ backend: compute.backend, compute, seed: job.seed });
    trackerRecord ??= t.describe?.();
    return t;
  };
  const tick = () => onFrames(++frames);
  const seq = { name: job.target, length: job.images.length, groundtruth: job.groundtruth, frames: job.images, anchors: job.anchors };
  if (job.experiments.includes('baseline')) {
    await runMultistart(
      create,
      seq,
      factory.needsPixels,
      async (a, run) => {
        seconds += run.times.reduce((s, v) => s + v, 0);
        await writeTrajectory(
          trajectoryBase(job.rawDir, job.tracker, 'baseline', job.target, multistartName(job.target, a.frame)),
          run.regions,
        );
      },
      tick,
    );
  }
  for (const e of job.experiments.filter((x) => x !== 'baseline')) {
    const init = initBox(job.groundtruth[0]);
    if (!init) throw new Error(`${job.target}: frame 0 has no ground-truth region to initialise on`);
    const tracker = await create();
    try {
      const run = await runFromAnchor(tracker, job.images, init, factory.needsPixels, tick);
      seconds += run.times.reduce((s, v) => s + v, 0);
      const properties: Record<string, number[]> = e === 'longterm' ? { confidence: run.confidence } : {};
      await writeTrajectory(trajectoryBase(job.rawDir, job.tracker, e, job.target, repetitionName(job.target, 1)), run.regions, properties);
    } finally {
      tracker.dispose?.();
    }
  }
  return { frames, trackerSeconds: seconds, trackerRecord, repetitions: 1 };
}
