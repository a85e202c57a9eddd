import { SingleBar } from 'cli-progress';
import type { Job, JobRecord } from './jobs.ts';
import { frameCost } from './cost.ts';

/**
 * Progress of a bench run: a bar with sequences and frames per second on a terminal, one line per
 * finished sequence otherwise (CI logs, pipes).
 */
export class RunProgress {
  private readonly bar: SingleBar | null;
  private readonly framesByJob = new Map<Job, number>();
  private framesDone = 0;
  /** Frames of trackers that read pixels, for the frames per second shown (see cost.ts). */
  private workFramesDone = 0;
  private sequencesDone = 0;
  private readonly started = performance.now();

  constructor(
    private readonly jobs: Job[],
    private readonly log: (line: string) => void,
  ) {
    const total = jobs.reduce((n, j) => n + j.expectedFrames, 0);
    this.bar = process.stderr.isTTY
      ? new SingleBar({
          format: '[{bar}] {percentage}% | {seqs} sequences | {fps} frames/s | eta {eta_formatted}',
          hideCursor: true,
          etaBuffer: 200,
        })
      : null;
    this.bar?.start(total, 0, this.payload());
  }

  private payload() {
    const s = (performance.now() - this.started) / 1000;
    return {
      seqs: `${this.sequencesDone}/${this.jobs.length}`,
      fps: s > 0 && this.workFramesDone > 0 ? (this.workFramesDone / s).toFixed(1) : '-',
    };
  }

  /** Frames of trackers that read pixels done so far, and the seconds since the start: the bar's frames per second. */
  speed(): { frames: number; seconds: number } {
    return { frames: this.workFramesDone, seconds: (performance.now() - this.started) / 1000 };
  }

  progress(job: Job, frames: number): void {
    const added = frames - (this.framesByJob.get(job) ?? 0);
    this.framesDone += added;
    if (frameCost(job.tracker) >= 1) this.workFramesDone += added;
    this.framesByJob.set(job, frames);
    this.bar?.update(this.framesDone, this.payload());
  }

  done(job: Job, record: JobRecord): void {
    // A failed job never reaches its last frame: count its frames as done so the bar completes.
    this.progress(job, job.expectedFrames);
    this.sequencesDone++;
    this.bar?.update(this.framesDone, this.payload());
    if (!this.bar) {
      const what = record.status === 'ok' ? `${record.frames} frames, ${record.fps.toFixed(1)} fps` : `FAILED: ${record.error}`;
      this.log(`[${this.sequencesDone}/${this.jobs.length}] ${job.tracker} on ${job.target}: ${what}`);
    }
  }

  stop(): void {
    this.bar?.stop();
  }
}
