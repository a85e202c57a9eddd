import { UserError } from '../core/errors.ts';
import { type JobDeadline, type JobFailure, formatDuration } from '../workers/pool.ts';
import type { Job } from './jobs.ts';
import { isTraxTracker } from '../trackers/trax/registry.ts';

/**
 * Per-job deadlines of a bench run (`--timeout`), so that a tracker whose update never resolves, or
 * loops, costs one failed sequence instead of a stalled run.
 *
 * The defaults are far beyond any real tracker here. The slowest is full-width SiamFC on TensorFlow.js
 * WASM: 1.49 s per frame on a quiet machine (docs/performance.md); measured again on this 2-core
 * machine at load average 8 with two workers, 8.5 s per frame on average and 16.5 s at worst, about
 * 1 s from a new worker to its first frame. The frame deadline, 5 minutes, is 18 times that worst
 * frame; the sequence deadline gives every expected frame a minute (7 times the loaded average),
 * plus ten minutes.
 */
const DEFAULT_FRAME_MS = 5 * 60_000;
const SEQUENCE_BASE_MS = 10 * 60_000;
const SEQUENCE_PER_FRAME_MS = 60_000;

/** null: no such deadline; undefined (sequence): the default, scaled to the job's frames. */
export interface Timeouts {
  frameMs: number | null;
  sequenceMs?: number | null;
}

export const DEFAULT_TIMEOUTS: Timeouts = { frameMs: DEFAULT_FRAME_MS };

export const TIMEOUT_HELP =
  'per-job deadlines: frame=<d>,sequence=<d> (either part; a bare <d> is the frame one); <d> is 500ms, 30s, 5m, 2h or off ' +
  `(default frame=${DEFAULT_FRAME_MS / 60_000}m, sequence=${SEQUENCE_BASE_MS / 60_000}m + ${SEQUENCE_PER_FRAME_MS / 1000}s per frame)`;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

function duration(raw: string, whole: string): number | null {
  if (raw === 'off') return null;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|min|h)?$/.exec(raw);
  const ms = m ? Number(m[1]) * UNITS[m[2] ?? 's'] : NaN;
  if (!(ms >= 1 && Number.isFinite(ms))) {
    throw new UserError(`--timeout: '${raw}' in '${whole}' is not a duration (expected e.g. 500ms, 30s, 5m, 2h or off)`);
  }
  return ms;
}

/** Parses --timeout (see TIMEOUT_HELP). */
export function parseTimeout(raw: string): Timeouts {
  const parts = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new UserError(`--timeout: expected frame=<duration>,sequence=<duration>, got '${raw}'`);
  const t: Timeouts = { ...DEFAULT_TIMEOUTS };
  for (const part of parts) {
    const [key, value] = part.includes('=') ? part.split('=', 2) : ['frame', part];
    if (key === 'frame') t.frameMs = duration(value, raw);
    else if (key === 'sequence') t.sequenceMs = duration(value, raw);
    else throw new UserError(`--timeout: unknown deadline '${key}' in '${raw}' (expected frame or sequence)`);
  }
  return t;
}

/**
 * A TraX tracker's client keeps the frame deadline itself, then ends the process (quit, SIGTERM,
 * SIGKILL: up to 3 s) and fails the job with the tracker's last output: the worker's quiet
 * deadline waits that much longer, so that it stays the backstop it is for in-process trackers.
 */
const TRAX_GRACE_MS = 10_000;

/** The deadlines of one job: the frame one as the pool's quiet deadline, the sequence one as its total. */
export function jobDeadline(job: Job, t: Timeouts): JobDeadline {
  const sequence = t.sequenceMs === undefined ? SEQUENCE_BASE_MS + job.expectedFrames * SEQUENCE_PER_FRAME_MS : t.sequenceMs;
  const grace = t.frameMs !== null && isTraxTracker(job.tracker) ? TRAX_GRACE_MS : 0;
  return { quietMs: t.frameMs === null ? undefined : t.frameMs + grace, totalMs: sequence ?? undefined };
}

/**
 * Why a timed-out job failed, in its record and warnings.txt. The worker reports progress at most
 * every 250 ms, so the frame deadline is "no frame finished for that long", start-up included.
 */
export function timeoutReason(f: JobFailure, job: Job, t: Timeouts): string {
  const d = jobDeadline(job, t);
  return f.deadline === 'total'
    ? `timed out: the sequence was not done after ${formatDuration(d.totalMs!)} (per-sequence deadline, see --timeout); worker terminated`
    : `timed out: no frame finished for ${formatDuration(d.quietMs!)} (per-frame deadline, see --timeout); worker terminated`;
}
