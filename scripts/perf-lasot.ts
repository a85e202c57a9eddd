/**
 * Times scoring the LaSOT test set (280 sequences, 685,360 frames) for the trackers of ../shared:
 * the whole `npm run eval` command as a user runs it (wall clock, start to exit, median of --runs),
 * and inside one process the stages (dataset, result import, metrics, report). Prints figures
 * beside what the peer toolkits took on the same files (../shared/docs/peer-speed.md); asserts nothing.
 *   npm run perf:lasot -- [--runs N] [--cache <dir>]
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { runMain } from '../src/core/cli-main.ts';
import { UserError } from '../src/core/errors.ts';
import { loadOtb } from '../src/benchmarks/otb/dataset/index.ts';
import { evaluateOtb } from '../src/benchmarks/otb/eval/evaluate.ts';
import { writeOtbReport } from '../src/benchmarks/otb/report/report.ts';
import { importOtbResults } from '../src/benchmarks/otb/results/index.ts';
import { REALDATA } from './realdata.ts';

/** Median wall clock (s) of the peers on the same files and machine kind (peer-speed.md, 2026-12-07). */
const PEERS: [string, number][] = [
  ['pysot-toolkit bin/eval.py --num 1', 29.4],
  ['pysot-toolkit bin/eval.py --num 2', 23.4],
  ['got10k-toolkit LaSOT report() (with its 3 plots)', 6.6],
];

const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];

function unpack(cache: string): { anno: string; results: string } {
  const r = spawnSync('python3', [join(REALDATA, 'unpack'), cache], { encoding: 'utf8' });
  if (r.status !== 0) throw new UserError(`could not unpack ${REALDATA}: ${(r.stderr || r.error?.message || '').trim()}`);
  return { anno: join(cache, 'lasot', 'LaSOT-test-anno'), results: join(cache, 'results', 'LaSOT', 'tracking_raw_results') };
}

/**
 * The command a user types, timed as the peers were: a fresh process each run. The machine is shared,
 * so the CPU time of the command (user + system, from bash's `times`) is printed beside the wall clock.
 */
function timeCommand(anno: string, results: string, out: string): { wall: number; cpu: number } {
  const args = ['--import', 'tsx', resolve(import.meta.dirname, '..', 'src', 'cli', 'eval.ts')];
  args.push('--dataset', 'LaSOT', '--root', anno, '--results', results, '--out', out);
  const quoted = [process.execPath, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', `${quoted} >/dev/null && times`], { encoding: 'utf8' });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new UserError(`eval failed: ${r.stderr.trim()}`);
  // `times` prints the shell's own line, then its children's: `0m4.123s 0m0.456s`.
  const child = r.stdout
    .trim()
    .split('\n')
    .at(-1)!
    .match(/(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/);
  const cpu = child ? 60 * Number(child[1]) + Number(child[2]) + 60 * Number(child[3]) + Number(child[4]) : NaN;
  return { wall, cpu };
}

async function stages(anno: string, results: string, out: string): Promise<string[]> {
  const s = (t0: number) => ((performance.now() - t0) / 1000).toFixed(2);
  let t0 = performance.now();
  const ds = await loadOtb('LaSOT', anno);
  const tLoad = s(t0);
  t0 = performance.now();
  const res = await importOtbResults(results, ds);
  const tImport = s(t0);
  t0 = performance.now();
  const ev = evaluateOtb(ds, res, 'lasot');
  const tMetrics = s(t0);
  t0 = performance.now();
  await writeOtbReport(out, ev);
  const tReport = s(t0);
  return [
    `stages in one process: dataset ${tLoad} s, import ${tImport} s, metrics ${tMetrics} s, report ${tReport} s`,
    `scores: ${ev.trackers.map((t) => `${t.tracker} ${t.overall.successAuc.toFixed(3)}`).join(', ')}`,
  ];
}

async function main(): Promise<void> {
  const opts = new Command('npm run perf:lasot --')
    .option('--runs <n>', 'runs of the whole command', '5')
    .option('--cache <dir>', 'where the zipped sets are unpacked (once)', join(tmpdir(), 'siambench-realdata-unpacked'))
    .parse(process.argv)
    .opts<{ runs: string; cache: string }>();
  const runs = Number(opts.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new UserError(`--runs: expected a positive integer, got '${opts.runs}'`);
  const { anno, results } = unpack(opts.cache);
  const tmp = await mkdtemp(join(tmpdir(), 'perf-lasot-'));
  try {
    const walls: number[] = [];
    const cpus: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = timeCommand(anno, results, join(tmp, `run${i}`));
      walls.push(t.wall);
      cpus.push(t.cpu);
      process.stdout.write(`run ${i + 1}/${runs}: ${t.wall.toFixed(2)} s wall, ${t.cpu.toFixed(2)} s CPU\n`);
    }
    const m = median(walls);
    const lines = [
      `LaSOT test set, 280 sequences x 3 trackers (ATOM, DiMP50, C-RPN), convention lasot, full report (CSVs, JSON, LaTeX, plots)`,
      `npm run eval (whole command, ${runs} runs): median ${m.toFixed(2)} s, range ${Math.min(...walls).toFixed(2)}-${Math.max(...walls).toFixed(2)} s; CPU (user + system) median ${median(cpus).toFixed(2)} s`,
      ...(await stages(anno, results, join(tmp, 'stages'))),
      'peers on the same files (../shared/docs/peer-speed.md, median wall clock; they cannot be installed here):',
      ...PEERS.map(([name, t]) => `  ${name.padEnd(50)} ${t.toFixed(1).padStart(5)} s   ${(t / m).toFixed(1)}x siambench's time`),
      `load average now: ${loadavg()
        .map((v) => v.toFixed(1))
        .join(' ')}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

runMain(main);
