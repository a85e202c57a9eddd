import { parentPort, workerData } from 'node:worker_threads';
import { imageToOtb } from '../core/types.ts';
import { selectBackend } from '../compute/backend.ts';
import { writeFileAtomic } from '../core/fs-atomic.ts';
import { writeOtbResult } from '../results/otb/write.ts';
import { getTrackerFactory } from '../trackers/registry.ts';
import { FrameReader } from './frames.ts';
import type { Job, JobRecord, MainMessage, WorkerMessage } from './jobs.ts';
import { runOnePass } from './ope.ts';

/**
 * A worker thread with its own compute backend. It runs one job at a time and writes the job's
 * files itself (atomically), so a job's output is complete on disk before the main thread hears of it.
 */
const port = parentPort!;
const send = (m: WorkerMessage) => port.postMessage(m);
const PROGRESS_EVERY_MS = 250;

async function runJob(id: number, job: Job, backend: string): Promise<JobRecord> {
  const t0 = performance.now();
  const factory = getTrackerFactory(job.tracker);
  const base = { tracker: job.tracker, target: job.target, backend };
  let lastSent = 0;
  let frames = 0;
  try {
    const tracker = await factory.create({ backend, seed: job.seed });
    try {
      const reader = new FrameReader(job.images, factory.needsPixels);
      const run = await runOnePass(tracker, reader, job.init, (done) => {
        frames = done;
        const now = performance.now();
        if (now - lastSent >= PROGRESS_EVERY_MS) {
          lastSent = now;
          send({ type: 'progress', id, frames: done });
        }
      });
      await writeOtbResult(job.rawDir, job.tracker, job.target, run.boxes.map(imageToOtb), run.times);
      const trackerSeconds = run.times.reduce((a, b) => a + b, 0);
      return {
        ...base, status: 'ok', frames: run.boxes.length, trackerSeconds,
        wallSeconds: (performance.now() - t0) / 1000,
        fps: trackerSeconds > 0 ? run.boxes.length / trackerSeconds : 0,
        trackerRecord: tracker.describe?.(),
        finishedAt: new Date().toISOString(),
      };
    } finally {
      tracker.dispose?.();
    }
  } catch (err) {
    // A tracker that throws fails this sequence only; the record says why and the run goes on.
    return {
      ...base, status: 'failed', error: (err as Error)?.message ?? String(err), frames, trackerSeconds: 0,
      wallSeconds: (performance.now() - t0) / 1000, fps: 0, finishedAt: new Date().toISOString(),
    };
  }
}

async function main(): Promise<void> {
  let backend: string;
  try {
    backend = await selectBackend(workerData.backend);
  } catch (err) {
    send({ type: 'fatal', error: (err as Error).message });
    return;
  }
  send({ type: 'ready', backend });
  port.on('message', async (m: MainMessage) => {
    if (m.type === 'stop') {
      port.close();
      return;
    }
    const record = await runJob(m.id, m.job, backend);
    await writeFileAtomic(m.job.recordFile, JSON.stringify(record, null, 1) + '\n');
    send({ type: 'done', id: m.id, record });
  });
}

void main();
