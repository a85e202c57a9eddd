import { readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs-atomic.ts';
import { inspectOutputDir } from '../core/out-dir.ts';
import { type Shard, partition, selectShard, shardLabel } from '../core/shard.ts';
import {
  type BenchOutcome,
  type BenchRequest,
  type Request,
  type RunTiming,
  checkedSettings,
  claimAndPlan,
  claimOf,
  planAll,
  requestOf,
  runLeft,
  scoreRun,
} from './bench.ts';
import type { JobRecord } from './jobs.ts';
import { type Planned, jobKey, runPaths, splitDone } from './plan.ts';
import { engineOf } from './settings.ts';
import { readUtf8Sync } from '../core/text-file.ts';
import { jobCost } from './cost.ts';

/**
 * Sharded bench runs (issue 13): `--shard K/N` runs part K of the run's jobs into the shared run
 * folder, `--merge` scores the folder once every part is done. Shards write only per-job files and
 * their own shards/K-of-N.json; run.json and the report are the merge's, so no two processes ever
 * write one file.
 */
/** Shards get equal work, not equal frames: see cost.ts. */
export const weightOf = (p: Planned) => jobCost(p.job);
const keyOf = (p: Planned) => jobKey(p.job);

/** What shards/K-of-N.json holds: where and when the shard ran, and what it did. */
export interface ShardRecord {
  shard: string;
  host: string;
  started: string;
  finished: string;
  seconds: number;
  backend: string;
  /** Sequence runs of this shard: all, run now, already done before, failed now. */
  jobs: number;
  ran: number;
  alreadyDone: number;
  failed: number;
  frames: number;
}

export interface ShardOutcome {
  records: JobRecord[];
  text: string;
}

const frames = (ps: Planned[]) => ps.reduce((sum, p) => sum + p.job.expectedFrames, 0);

/**
 * Runs this shard's part of the jobs: the split is over every planned job, done or not, so a
 * resumed shard takes the same part as before and never one of its siblings' jobs. A failed job
 * fails the shard (exit 1, so that a Slurm merge waiting on afterok does not start); running the
 * shard again retries it.
 */
export async function runBenchShard(request: BenchRequest, shard: Shard): Promise<ShardOutcome> {
  const req = requestOf(request);
  const label = shardLabel(shard);
  const claimed = await claimAndPlan(req);
  const mine = selectShard(claimed.planned, shard, weightOf, keyOf);
  const { jobs, done } = splitDone(mine);
  req.log(
    `shard ${label}: ${mine.length} of ${claimed.planned.length} sequence run(s), ${frames(mine)} of ${frames(claimed.planned)} frames; ${done.length} already done`,
  );
  const started = new Date().toISOString();
  const outcome = jobs.length > 0 ? await runLeft(req, jobs, claimed) : { records: [], seconds: 0, backend: done[0]?.backend ?? '' };
  const failed = outcome.records.filter((r) => r.status === 'failed').length;
  const record: ShardRecord = {
    shard: label,
    host: hostname(),
    started,
    finished: new Date().toISOString(),
    seconds: Number(outcome.seconds.toFixed(2)),
    backend: outcome.backend,
    jobs: mine.length,
    ran: jobs.length,
    alreadyDone: done.length,
    failed,
    frames: frames(mine),
  };
  await writeFileAtomic(join(runPaths(req.out).shards, `${shard.k}-of-${shard.n}.json`), JSON.stringify(record, null, 1) + '\n');
  if (failed > 0)
    throw new UserError(
      `shard ${label}: ${failed} of ${jobs.length} sequence run(s) failed (listed above); run the shard again to retry them`,
    );
  return {
    records: [...done, ...outcome.records],
    text: `shard ${label}: ${jobs.length} sequence run(s) run, ${done.length} already done; once every shard is done, score with the same options and --merge\n`,
  };
}

function readShardRecords(out: string): ShardRecord[] {
  const dir = runPaths(out).shards;
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^\d+-of-\d+\.json$/.test(n));
  } catch {
    return [];
  }
  return names.flatMap((n) => {
    try {
      return [JSON.parse(readUtf8Sync(join(dir, n))) as ShardRecord];
    } catch {
      return []; // written atomically: only a hand-edited file gets here, and it only informs
    }
  });
}

/** The span of the shards' work, from the first start to the last finish (this moment when no shard recorded any). */
function mergedTiming(shards: ShardRecord[]): RunTiming {
  const starts = shards.map((s) => s.started).sort();
  const ends = shards.map((s) => s.finished).sort();
  if (starts.length === 0) return { started: new Date().toISOString(), seconds: 0 };
  const seconds = (Date.parse(ends.at(-1)!) - Date.parse(starts[0])) / 1000;
  return { started: starts[0], finished: ends.at(-1), seconds: Number.isFinite(seconds) ? seconds : 0 };
}

/** The shard each job belongs to, when the folder's shards agree on N (to say which shard to run again). */
function shardOfJob(planned: Planned[], shards: ShardRecord[]): (p: Planned) => string {
  const ns = [...new Set(shards.map((s) => Number(String(s.shard).split('/')[1])))];
  if (ns.length !== 1 || !(ns[0] >= 1)) return () => '';
  const parts = partition(planned, ns[0], weightOf, keyOf);
  const owner = new Map(parts.flatMap((part, i) => part.map((p) => [p, ` (shard ${i + 1}/${ns[0]})`] as const)));
  return (p) => owner.get(p) ?? '';
}

function checkNotDone(req: Request, planned: Planned[], shards: ShardRecord[]): void {
  const left = planned.filter((p) => !p.done);
  if (left.length === 0) return;
  const shardOf = shardOfJob(planned, shards);
  for (const p of left) {
    const what = p.failed
      ? `failed: ${p.job.tracker} on ${p.job.target}: ${p.failed.error}`
      : `missing: ${p.job.tracker} on ${p.job.target}`;
    req.log(`${what}${shardOf(p)}`);
  }
  throw new UserError(
    `--merge: ${left.length} of ${planned.length} sequence run(s) in ${req.out} are not done (listed above); run their shards again, then --merge`,
  );
}

/**
 * Scores a run folder once every job is done, exactly as an unsharded run does at its end
 * (scoreRun); with jobs missing or failed, lists them and fails. Checks the same settings a resume
 * does, and that every job ran on one engine (shards that started at once were only checked
 * against each other as far as their timing allowed).
 */
export async function mergeBench(request: BenchRequest): Promise<BenchOutcome> {
  const req = requestOf(request);
  const claimed = inspectOutputDir(claimOf(req));
  if (claimed.state !== 'ours') throw new UserError(`--merge: ${req.out} holds no bench run yet (run the shards first, with --shard K/N)`);
  checkedSettings(req, claimed);
  const planned = planAll(req);
  const shards = readShardRecords(req.out);
  checkNotDone(req, planned, shards);
  const records = planned.map((p) => p.done!);
  const engines = [...new Set(records.map((r) => engineOf(r.backend)))];
  if (engines.length > 1) {
    throw new UserError(
      `--engine/--backend: ${req.out} holds results of ${engines.join(' and ')}; run every shard on one engine (another --out)`,
    );
  }
  return scoreRun(req, records, records[0]?.backend ?? '', mergedTiming(shards));
}
