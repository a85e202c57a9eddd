import { UserError } from './errors.ts';

/**
 * Shards: one of N deterministic parts of a list of jobs, so that N machines (a Slurm job array, a
 * Kubernetes Indexed Job, or N shells) share a run without talking to each other. Generic over the
 * job type: the bench runner splits (tracker, sequence) jobs with it, the study its training and
 * evaluation jobs. In core (the lowest layer) so that any layer can use it.
 */
export interface Shard {
  /** 1-based: 1..n. */
  k: number;
  n: number;
}

export const SHARD_HELP =
  'run only part K of N of the jobs (K = 1..N): K/N, auto (a Slurm job array: SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT) or auto/N (a Kubernetes Indexed Job: JOB_COMPLETION_INDEX)';

export function shardLabel(s: Shard): string {
  return `${s.k}/${s.n}`;
}

type Env = Record<string, string | undefined>;

function wholeNumber(raw: string): number | undefined {
  return /^\d{1,9}$/.test(raw.trim()) ? Number(raw.trim()) : undefined;
}

/** A whole number from the environment; absent gives `fallback`, or an error naming the variable when there is none. */
function envInt(env: Env, name: string, why: string, fallback?: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') {
    if (fallback !== undefined) return fallback;
    throw new UserError(
      `--shard ${why}: ${name} is not set (${why === 'auto' ? 'not a Slurm job array task? under Kubernetes give auto/N;' : 'not a Kubernetes Indexed Job pod?'} give --shard K/N instead)`,
    );
  }
  const v = wholeNumber(raw);
  if (v === undefined) throw new UserError(`--shard ${why}: ${name}='${raw.slice(0, 40)}' is not a whole number`);
  return v;
}

/**
 * A Slurm array task: K = (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN) / SLURM_ARRAY_TASK_STEP + 1,
 * N = SLURM_ARRAY_TASK_COUNT, so that `--array=0-(N-1)`, `--array=1-N` and stepped ranges all give
 * K = 1..N. Slurm sets MIN and STEP in every array task; absent, they are taken as 0 and 1 (and a
 * 1-based array then fails the range check below rather than skipping a part).
 */
function slurmShard(env: Env): Shard {
  const id = envInt(env, 'SLURM_ARRAY_TASK_ID', 'auto');
  const n = envInt(env, 'SLURM_ARRAY_TASK_COUNT', 'auto');
  const min = envInt(env, 'SLURM_ARRAY_TASK_MIN', 'auto', 0);
  const step = envInt(env, 'SLURM_ARRAY_TASK_STEP', 'auto', 1);
  const k = (id - min) / Math.max(step, 1) + 1;
  if (n < 1 || !Number.isInteger(k) || k < 1 || k > n) {
    throw new UserError(
      `--shard auto: SLURM_ARRAY_TASK_ID=${id} is not task 1..${n} of a contiguous array (SLURM_ARRAY_TASK_MIN=${min}, SLURM_ARRAY_TASK_STEP=${step}, SLURM_ARRAY_TASK_COUNT=${n}); submit --array=0-${n - 1} or --array=1-${n}`,
    );
  }
  return { k, n };
}

/** A Kubernetes Indexed Job pod: K = JOB_COMPLETION_INDEX + 1 (the index is 0-based), N as given. */
function indexedJobShard(env: Env, n: number): Shard {
  const index = envInt(env, 'JOB_COMPLETION_INDEX', `auto/${n}`);
  if (index >= n) {
    throw new UserError(`--shard auto/${n}: JOB_COMPLETION_INDEX=${index} is not below ${n} (the Job's completions must equal N)`);
  }
  return { k: index + 1, n };
}

/** `--shard K/N | auto | auto/N`; every malformed value or missing variable is a one-line UserError. */
export function parseShard(raw: string, env: Env = process.env): Shard {
  const s = raw.trim();
  if (s === 'auto') return slurmShard(env);
  const m = /^(auto|\d+)\/(\d+)$/.exec(s);
  const n = m ? wholeNumber(m[2]) : undefined;
  if (!m || n === undefined || n < 1) {
    throw new UserError(
      `--shard: expected K/N with 1 <= K <= N (e.g. 2/4), auto (Slurm array) or auto/N (Kubernetes Indexed Job), got '${raw.slice(0, 40)}'`,
    );
  }
  if (m[1] === 'auto') return indexedJobShard(env, n);
  const k = wholeNumber(m[1]);
  if (k === undefined || k < 1 || k > n) throw new UserError(`--shard: K must be 1..${n} (1-based), got '${raw}'`);
  return { k, n };
}

/**
 * Splits `jobs` into n parts of near-equal weight (frames, say): largest first, each to the part
 * lightest so far (ties to the lower part), ties between jobs broken by key. The result depends
 * only on the set of (key, weight) pairs, not on the order of `jobs`: every shard computes the
 * same split on its own. Keys must be unique. Each part keeps the jobs' original order.
 */
export function partition<T>(jobs: readonly T[], n: number, weightOf: (job: T) => number, keyOf: (job: T) => string): T[][] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`partition: n must be a whole number >= 1, got ${n}`);
  const items = jobs.map((job, index) => ({ index, key: keyOf(job), weight: weightOf(job) }));
  for (const it of items) {
    if (!(it.weight >= 0 && Number.isFinite(it.weight))) throw new RangeError(`partition: weight of ${it.key} is ${it.weight}`);
  }
  items.sort((a, b) => b.weight - a.weight || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (let i = 1; i < items.length; i++) {
    if (items[i].key === items[i - 1].key) throw new RangeError(`partition: key ${items[i].key} is not unique`);
  }
  const loads = new Array<number>(n).fill(0);
  const owner = new Array<number>(jobs.length);
  for (const it of items) {
    let best = 0;
    for (let p = 1; p < n; p++) if (loads[p] < loads[best]) best = p;
    loads[best] += it.weight;
    owner[it.index] = best;
  }
  const parts: T[][] = Array.from({ length: n }, () => []);
  jobs.forEach((job, i) => parts[owner[i]].push(job));
  return parts;
}

/** The jobs of shard k of n (see partition): give it ALL planned jobs, done ones too, and skip those after. */
export function selectShard<T>(jobs: readonly T[], shard: Shard, weightOf: (job: T) => number, keyOf: (job: T) => string): T[] {
  return partition(jobs, shard.n, weightOf, keyOf)[shard.k - 1];
}
