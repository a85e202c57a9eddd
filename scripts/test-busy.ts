/**
 * `npm run test:busy`: the test suite on a machine kept busy on purpose (issue 34). It starts as many
 * busy processes as there are cores, runs `npm test`'s command beside them, ends them all, and prints
 * the suite's duration, the load it ran under and every failed test. A test that treats a starved
 * machine as a hang fails here rather than in CI or a user's first run. Not part of .ci/run.
 *
 *   npm run test:busy                                  # every test/*.test.ts, both cores loaded
 *   npm run test:busy -- --limit 120 test/bom.test.ts  # some files; stop everything after 120 min
 *   npm run test:busy -- --busy 0                      # the same run on an idle machine, to compare
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import fg from 'fast-glob';

interface Options {
  busy: number;
  /** Minutes before the suite and the busy processes are ended, whatever state they are in. */
  limit: number;
  files: string[];
}

function count(what: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!/^\d+(\.\d+)?$/.test(v) || !(n >= 0)) throw new InvalidArgumentError(`${what}: expected a number >= 0, got '${v}'`);
    return n;
  };
}

function parseOptions(argv: string[]): Options {
  const program = new Command('npm run test:busy --')
    .description(
      'Runs the test suite with every core kept busy by processes this script starts and ends; prints its duration and failures.',
    )
    .option('--busy <n>', 'busy processes to start (default: one per core)', count('--busy'), availableParallelism())
    .option('--limit <minutes>', 'end the suite and the busy processes after this long', count('--limit'), 90)
    .argument('[files...]', 'test files (default: test/*.test.ts, as npm test)')
    .exitOverride((err) => {
      if (err.exitCode === 0) process.exit(0);
      process.stderr.write(`error: ${err.message.replace(/^error: /, '')}\n`);
      process.exit(1);
    })
    .configureOutput({ writeErr: () => {} });
  program.parse(argv);
  const o = program.opts<{ busy: number; limit: number }>();
  const files = program.args.length > 0 ? program.args : fg.sync('test/*.test.ts').sort();
  if (files.length === 0) throw new Error('no test files');
  return { busy: Math.floor(o.busy), limit: o.limit, files };
}

/** One process per core spinning in a loop, at the suite's own priority: they take the CPU a busy neighbour would. */
function startBusy(n: number): ChildProcess[] {
  return Array.from({ length: n }, () => spawn(process.execPath, ['-e', 'for (;;);'], { stdio: 'ignore' }));
}

function endAll(children: ChildProcess[]): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

interface SuiteRun {
  code: number | null;
  timedOut: boolean;
  seconds: number;
}

/** `npm test`'s command on `files`: the spec reporter on the terminal, TAP into `tap` for the summary. */
function runSuite(files: string[], tap: string, limitMs: number, children: ChildProcess[]): Promise<SuiteRun> {
  const args = ['--import', 'tsx', '--test', '--test-concurrency=2'];
  args.push('--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`);
  const t0 = performance.now();
  // Its own process group, so that the limit ends the test files it started too.
  // Without NODE_TEST_CONTEXT, which a parent test runner sets: the suite would report to it, not here.
  const env = { ...process.env, NODE_TEST_CONTEXT: undefined };
  const suite = spawn(process.execPath, [...args, ...files], { stdio: ['ignore', 'inherit', 'inherit'], detached: true, env });
  children.push(suite);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(suite);
  }, limitMs);
  return new Promise((resolve) => {
    suite.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, timedOut, seconds: (performance.now() - t0) / 1000 });
    });
  });
}

function killGroup(c: ChildProcess): void {
  try {
    if (c.pid) process.kill(-c.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Failed tests (top-level `not ok` lines, with the file each is in) and the totals of the TAP file. */
export function summarise(tapText: string): { failed: string[]; totals: Record<string, number> } {
  const lines = tapText.split('\n');
  const failed: string[] = [];
  lines.forEach((l, i) => {
    const m = /^not ok \d+ - (.*)$/.exec(l);
    if (!m) return;
    const where = lines.slice(i + 1, i + 12).find((x) => /^ {2}location: /.test(x));
    const file = where ? /'(.*?):\d+:\d+'/.exec(where)?.[1] : undefined;
    failed.push(file ? `${m[1]} (${file.replace(`${process.cwd()}/`, '')})` : m[1]);
  });
  const totals: Record<string, number> = {};
  for (const m of tapText.matchAll(/^# (tests|pass|fail|cancelled|skipped) (\d+)$/gm)) totals[m[1]] = Number(m[2]);
  return { failed, totals };
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv);
  const dir = mkdtempSync(join(tmpdir(), 'siambench-test-busy-'));
  const tap = join(dir, 'suite.tap');
  const children = startBusy(opts.busy);
  const end = () => endAll(children);
  process.on('exit', end);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      for (const c of children) killGroup(c);
      end();
      process.exit(130);
    });
  }
  const load0 = loadavg()[0];
  process.stderr.write(
    `test:busy: ${opts.files.length} test file(s), ${opts.busy} busy process(es) on ${availableParallelism()} core(s), limit ${opts.limit} min, load ${load0.toFixed(1)}; busy pids ${children.map((c) => c.pid).join(' ') || 'none'}\n`,
  );
  const run = await runSuite(opts.files, tap, opts.limit * 60_000, children);
  const load1 = loadavg()[0];
  end();
  let text = '';
  try {
    text = readFileSync(tap, 'utf8');
  } catch {
    // no report: the suite did not start
  }
  rmSync(dir, { recursive: true, force: true });
  const { failed, totals } = summarise(text);
  const summary = [
    `test:busy: the suite took ${run.seconds.toFixed(0)} s (${(run.seconds / 60).toFixed(1)} min) with ${opts.busy} busy process(es) on ${availableParallelism()} core(s); load average ${load0.toFixed(1)} at the start, ${load1.toFixed(1)} at the end`,
    `test:busy: ${totals.tests ?? '?'} tests, ${totals.pass ?? '?'} passed, ${totals.fail ?? '?'} failed, ${totals.cancelled ?? 0} cancelled, ${totals.skipped ?? 0} skipped`,
    ...(run.timedOut ? [`test:busy: stopped at the limit of ${opts.limit} min`] : []),
    ...failed.map((f) => `test:busy: failed: ${f}`),
  ];
  process.stdout.write(`${summary.join('\n')}\n`);
  process.exitCode = run.code === 0 && !run.timedOut && failed.length === 0 ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
