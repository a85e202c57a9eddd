/**
 * Kill -9 soak (issue 12 item 6): runs a small bench and a short training uninterrupted, then again
 * and again with a SIGKILL of the whole process group at a random moment, each resumed to the end,
 * and compares the results byte for byte with the uninterrupted run's (timing columns aside): a
 * bench folder file by file as sharded runs are compared (src/runner/same-run.ts: raw results,
 * tables, plots, rules, warnings, records, run.json; a leftover temporary file counts as a
 * difference), a model by its weights and model.json.
 *
 *   npm run soak -- [--bench-kills 20] [--train-kills 10] [--seed 1] [--keep]
 *
 * Prints the kills (a run that ended before its kill point is run again with an earlier one, and
 * counted apart), the resumes and the mismatches; exits 1 when any result differs or a resume
 * fails. See docs/design.md.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { runMain } from '../src/core/cli-main.ts';
import { UserError } from '../src/core/errors.ts';
import { Rng } from '../src/core/random.ts';
import { runDifferences } from '../src/runner/same-run.ts';
import { ensureSynthetic } from '../src/synthetic/index.ts';
import { parseCommand, positiveInt } from '../src/cli/options.ts';

const REPO = new URL('..', import.meta.url).pathname;

interface SoakOptions {
  benchKills: number;
  trainKills: number;
  seed: number;
  keep: boolean;
}

interface Tally {
  kills: number;
  lateKills: number;
  resumes: number;
  identical: number;
  mismatches: string[];
}

function cli(name: string, args: string[]): ChildProcess {
  // detached: the CLI leads its own process group, so one kill reaches it and anything it started.
  return spawn(process.execPath, ['--import', 'tsx', join(REPO, 'src', 'cli', `${name}.ts`), ...args], {
    cwd: REPO,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, SIAMBENCH_DEBUG: '' },
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stderr })));
}

/** Runs to the end; a failure is a soak failure (the resume could not finish). */
async function runToEnd(name: string, args: string[]): Promise<number> {
  const t0 = performance.now();
  const r = await exited(cli(name, args));
  if (r.code !== 0) throw new UserError(`${name} ${args.join(' ')} failed (exit ${r.code}): ${r.stderr.trim().split('\n').at(-1)}`);
  return performance.now() - t0;
}

/** Starts the command and SIGKILLs its process group after `ms`; false when it had ended by then. */
async function runKilled(name: string, args: string[], ms: number): Promise<boolean> {
  const child = cli(name, args);
  const done = exited(child);
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }, ms);
  const r = await done;
  clearTimeout(timer);
  return r.signal === 'SIGKILL';
}

/** model.json without what measures time, weights.bin byte for byte, and no temporary file left behind. */
function compareModel(ref: string, got: string): string[] {
  const untimed = (file: string) =>
    JSON.stringify(JSON.parse(readFileSync(file, 'utf8')), (k, v) => (/seconds|pairsPerSecond|created|time/i.test(k) ? undefined : v));
  const diffs: string[] = [];
  if (!readFileSync(join(ref, 'weights.bin')).equals(readFileSync(join(got, 'weights.bin')))) diffs.push('weights.bin differs');
  if (untimed(join(ref, 'model.json')) !== untimed(join(got, 'model.json'))) diffs.push('model.json differs (timings aside)');
  const temps = readdirSync(got, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.tmp'));
  if (temps.length) diffs.push(`temporary files left: ${temps.join(', ')}`);
  return diffs;
}

interface Subject {
  name: string;
  cli: string;
  args: (out: string) => string[];
  resumeArgs: (out: string) => string[];
  compare: (ref: string, got: string) => string[];
}

/** The reference run, then `kills` runs killed at a random moment and resumed to the end. */
async function soak(s: Subject, kills: number, work: string, rng: Rng, log: (l: string) => void): Promise<Tally> {
  const ref = join(work, `${s.name}-reference`);
  const refMs = await runToEnd(s.cli, s.args(ref));
  log(`${s.name}: reference run ${(refMs / 1000).toFixed(1)} s`);
  const t: Tally = { kills: 0, lateKills: 0, resumes: 0, identical: 0, mismatches: [] };
  for (let k = 1; k <= kills; k++) {
    const out = join(work, `${s.name}-${k}`);
    // Kill points from the start of the process to the reference run's end; a run that ended
    // before its kill point (runs vary with the machine's load) is tried again with an earlier one.
    let at = rng.uniform(0.05, 1) * refMs;
    for (let tries = 1; !(await runKilled(s.cli, s.args(out), at)); tries++) {
      t.lateKills++;
      rmSync(out, { recursive: true, force: true });
      if (tries === 3) throw new UserError(`${s.name}: ${tries} runs ended before their kill point`);
      at = rng.uniform(0.05, 0.5) * at;
    }
    t.kills++;
    await runToEnd(s.cli, s.resumeArgs(out));
    t.resumes++;
    const diffs = s.compare(ref, out);
    if (diffs.length === 0) t.identical++;
    else t.mismatches.push(`${s.name} #${k} (killed at ${(at / 1000).toFixed(2)} s): ${diffs.slice(0, 3).join('; ')}`);
    log(`${s.name} #${k}: killed at ${(at / 1000).toFixed(2)} s, resumed, ${diffs.length === 0 ? 'identical' : 'MISMATCH'}`);
    rmSync(out, { recursive: true, force: true });
  }
  return t;
}

async function subjects(work: string): Promise<{ bench: Subject; train: Subject }> {
  const syn = join(work, 'synthetic');
  await ensureSynthetic(syn, { seed: 11, testSequences: 4, testFrames: 30, trainSequences: 8, trainFrames: 30, splits: ['test', 'train'] });
  const bench = (out: string) => [
    '--dataset',
    'synthetic',
    '--root',
    syn,
    '--out',
    out,
    '--trackers',
    'siamfc,static',
    '--concurrency',
    '2',
  ];
  const train = (out: string) =>
    // Small enough for seconds per epoch; one thread, so that the arithmetic is the same every run.
    `--loss logistic --data ${join(syn, 'train')} --out ${out} --width 0.125 --exemplar-size 103 --search-size 143 --epochs 4 --pairs-per-epoch 16 --batch 4 --val-pairs 4 --val-fraction 0.25 --engine ort --threads 1 --keep-checkpoint`.split(
      ' ',
    );
  return {
    bench: { name: 'bench', cli: 'bench', args: bench, resumeArgs: bench, compare: runDifferences },
    train: { name: 'train', cli: 'train', args: train, resumeArgs: (out) => [...train(out), '--resume'], compare: compareModel },
  };
}

async function main(): Promise<void> {
  const program = new Command('npm run soak --')
    .description('Kill -9 soak: SIGKILL a bench and a training run at random moments, resume each, compare with an uninterrupted run')
    .option('--bench-kills <n>', 'bench runs to kill and resume', positiveInt('--bench-kills'), 20)
    .option('--train-kills <n>', 'training runs to kill and resume', positiveInt('--train-kills'), 10)
    .option('--seed <n>', 'seed of the kill points', positiveInt('--seed'), 1)
    .option('--keep', 'keep the work folder', false);
  const opts = parseCommand<SoakOptions>(program, process.argv);
  const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
  const work = mkdtempSync(join(tmpdir(), 'siambench-soak-'));
  try {
    const rng = new Rng(opts.seed);
    const s = await subjects(work);
    const tallies = [
      ['bench', await soak(s.bench, opts.benchKills, work, rng, log)],
      ['train', await soak(s.train, opts.trainKills, work, rng, log)],
    ] as const;
    for (const [name, t] of tallies) {
      process.stdout.write(
        `${name}: ${t.kills} kills, ${t.resumes} resumes, ${t.identical} byte-identical, ${t.mismatches.length} mismatches (${t.lateKills} runs ended before their kill point, redrawn)\n`,
      );
      for (const m of t.mismatches) process.stdout.write(`  ${m}\n`);
    }
    const bad = tallies.reduce((n, [, t]) => n + t.mismatches.length, 0);
    if (bad > 0) throw new UserError(`soak: ${bad} resumed run(s) differ from the uninterrupted one`);
  } finally {
    if (opts.keep) log(`work folder kept: ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

runMain(main);
