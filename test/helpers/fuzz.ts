/**
 * The fuzzing harness of test/fuzz-*.test.ts (issue 12 item 5). A parser gets mutations of real valid
 * files and must end in one of three outcomes: ok (finite numbers), ok with the defect named (a
 * warning or defect string; NaN is allowed only then), or a UserError of one line naming the file.
 * Anything else is `bad`: another exception type, a multi-line message, a message that names no
 * file, an Infinity in the output, NaN without a word, or a case slower than the deadline.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { UserError } from '../../src/core/errors.ts';
import { cpuMs, SLOWDOWN } from './load.ts';

/** Cases per property: a fixed seed and a modest count in CI, FUZZ_RUNS=1000 (x 11 properties) for the long run. */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
export const SEED = Number(process.env.FUZZ_SEED ?? 12);
/**
 * A case that spends more CPU time than this is a hang (the reads are of files of a few kB). CPU time,
 * not wall time: on a starved machine a 1 s case took 40 s of wall time and was killed as a hang.
 */
export const CASE_MS = Number(process.env.FUZZ_CASE_MS ?? 20_000);
/**
 * A case blocked without spending CPU (a promise that never settles, a read stuck on a FIFO) is a hang
 * after this much wall time: three times CASE_MS, stretched by the slowdown measured at the start.
 */
export const CASE_WALL_MS = Math.round(3 * CASE_MS * SLOWDOWN);

export type Outcome = 'ok' | 'warning' | 'error' | 'bad';
export const tally = new Map<string, Record<Outcome, number>>();

/** What a parser produced: the numbers it read and the defects it named. */
export interface Parsed {
  numbers: Iterable<number>;
  warnings: readonly string[];
}

const TOKENS = [
  'NaN',
  'nan',
  'Infinity',
  '-Inf',
  '1e309',
  '-1e309',
  '1e-400',
  '0x2',
  '0b1',
  '1_0',
  '',
  ' ',
  '\t',
  ',',
  ';',
  '|',
  '-',
  '+',
  '.',
  '1e',
  '١٢',
  'é',
  '\u00a0',
  '\u2028',
  '\0',
  'null',
  '[]',
  '{}',
  '"',
  '-0',
  '3.4e38',
  '9'.repeat(400),
  '\r',
  '\n',
  '\n\n',
];

export type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; tok: string }
  | { kind: 'number'; which: number; tok: string }
  | { kind: 'separators'; from: string; to: string }
  | { kind: 'deleteLine'; which: number }
  | { kind: 'dupLine'; which: number }
  | { kind: 'empty' }
  | { kind: 'bom' }
  | { kind: 'unicode'; at: number; s: string }
  | { kind: 'huge'; which: number };

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), tok: fc.constantFrom(...TOKENS) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('number' as const), which: fc.nat(), tok: fc.constantFrom(...TOKENS) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('separators' as const),
      from: fc.constantFrom(',', '\t', ' ', '\n', ':', '"'),
      to: fc.constantFrom(';', '|', '  ', ',,', '\r\n', '', '\u3000', '\n'),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('deleteLine' as const), which: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dupLine' as const), which: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('empty' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bom' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('unicode' as const), at: fc.nat(), s: fc.string({ unit: 'binary', maxLength: 8 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('huge' as const), which: fc.nat() }) },
);

export const mutationsArb = fc.array(mutationArb, { minLength: 1, maxLength: 4 });

const NUMBER = /-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi;

export function mutate(text: string, ms: readonly Mutation[]): string {
  let s = text;
  for (const m of ms) {
    const lines = s.split('\n');
    switch (m.kind) {
      case 'truncate':
        s = s.slice(0, m.at % (s.length + 1));
        break;
      case 'insert':
      case 'unicode': {
        const at = m.at % (s.length + 1);
        s = s.slice(0, at) + (m.kind === 'insert' ? m.tok : m.s) + s.slice(at);
        break;
      }
      case 'number':
      case 'huge': {
        const found = [...s.matchAll(NUMBER)];
        if (found.length === 0) break;
        const hit = found[m.which % found.length];
        const tok = m.kind === 'number' ? m.tok : '7'.repeat(1 << 20);
        s = s.slice(0, hit.index) + tok + s.slice(hit.index + hit[0].length);
        break;
      }
      case 'separators':
        s = s.split(m.from).join(m.to);
        break;
      case 'deleteLine':
        lines.splice(m.which % lines.length, 1);
        s = lines.join('\n');
        break;
      case 'dupLine': {
        const i = m.which % lines.length;
        lines.splice(i, 0, lines[i]);
        s = lines.join('\n');
        break;
      }
      case 'empty':
        s = '';
        break;
      case 'bom':
        s = `\ufeff${s}`;
        break;
    }
  }
  return s;
}

/** Structural JSON mutations: a value somewhere replaced by another JSON value. */
export const jsonEditArb = fc.record({
  path: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
  value: fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(null, 2.5, -1, 0, 1e308, '6', [], {}, [null], [1, 2, 3], ['a'], [[0, 0, 0, 0]], Number.MAX_SAFE_INTEGER + 2),
  ),
  drop: fc.boolean(),
});
export type JsonEdit = typeof jsonEditArb extends fc.Arbitrary<infer T> ? T : never;

/** Applies one edit: walks `path` (indices into keys or elements), then replaces or deletes what it reaches. */
export function editJson(data: unknown, e: JsonEdit): unknown {
  const root = structuredClone(data);
  let node: unknown = root;
  for (let d = 0; d < e.path.length; d++) {
    if (!node || typeof node !== 'object') break;
    const keys = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    if (keys.length === 0) break;
    const k = keys[e.path[d] % keys.length];
    const obj = node as Record<string | number, unknown>;
    const last = d === e.path.length - 1 || !obj[k] || typeof obj[k] !== 'object';
    if (last) {
      if (e.drop && !Array.isArray(node)) delete obj[k];
      else obj[k] = e.value;
      break;
    }
    node = obj[k];
  }
  return root;
}

/** What sits at the mutated path: mostly the file, sometimes a folder, a FIFO, a link to the file or a dangling link. */
export const fileKindArb = fc.constantFrom('file', 'file', 'file', 'file', 'file', 'file', 'dir', 'fifo', 'symlink', 'dangling');
export type FileKind = 'file' | 'dir' | 'fifo' | 'symlink' | 'dangling';

export function place(path: string, content: string | Uint8Array, kind: FileKind): void {
  rmSync(path, { recursive: true, force: true });
  if (kind === 'file') writeFileSync(path, content);
  else if (kind === 'dir') mkdirSync(path);
  else if (kind === 'fifo') assert.equal(spawnSync('mkfifo', [path]).status, 0);
  else if (kind === 'symlink') {
    writeFileSync(`${path}.target`, content);
    symlinkSync(`${path}.target`, path);
  } else symlinkSync(`${path}.nowhere`, path);
}

/**
 * The watchdog of synchronous hangs. check()'s timer runs on the event loop, which a parser stuck in
 * a loop or a catastrophic regex never gives back (the long run once sat for minutes on a quadratic
 * regex). A worker thread watches the current case's start (wall and CPU time) in shared memory; a
 * case past twice either budget (CPU: work done, so load cannot trip it; wall: scaled by the measured
 * slowdown, for a thread blocked in a system call) gets its parser and input written to stderr and
 * the whole process SIGKILLed, so the test file fails with the case named instead of hanging.
 */
const watch = { start: new Float64Array(new SharedArrayBuffer(16)), label: new Uint8Array(new SharedArrayBuffer(1024)) };
let watchdog: Worker | undefined;
const WATCHDOG = `
const { workerData: { start, label, cpuLimit, wallLimit } } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const tick = new Int32Array(new SharedArrayBuffer(4));
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (;;) {
  Atomics.wait(tick, 0, 0, 200);
  if (start[0] <= 0) continue;
  const why = cpu() - start[1] > cpuLimit ? cpuLimit + ' ms of CPU time' : Date.now() - start[0] > wallLimit ? wallLimit + ' ms (wall clock)' : '';
  if (why) {
    const text = Buffer.from(label).toString('utf8').replace(/\\0+$/, '');
    writeSync(2, 'fuzz watchdog: a synchronous hang, no answer within ' + why + ': ' + text + '\\n');
    process.kill(process.pid, 'SIGKILL');
  }
}`;

function watchCase(text: string | undefined): void {
  if (text === undefined) {
    watch.start[0] = 0;
    return;
  }
  if (!watchdog) {
    watchdog = new Worker(WATCHDOG, { eval: true, workerData: { ...watch, cpuLimit: 2 * CASE_MS, wallLimit: 2 * CASE_WALL_MS } });
    watchdog.unref();
  }
  watch.label.fill(0);
  watch.label.set(Buffer.from(text).subarray(0, watch.label.length));
  watch.start[1] = cpuMs();
  watch.start[0] = Date.now();
}

/** The input of the running case, for the watchdog's message (set by fuzz()). */
let currentInput = '';

function record(parser: string, o: Outcome): void {
  if (!tally.has(parser)) tally.set(parser, { ok: 0, warning: 0, error: 0, bad: 0 });
  tally.get(parser)![o]++;
}

/**
 * Runs one case and classifies it; throws (failing the property, so fast-check shrinks it) when the
 * outcome is bad. `names` are the paths an error message may name (any of them, or its base name).
 */
export async function check(parser: string, names: readonly string[], run: () => Promise<Parsed> | Parsed): Promise<Outcome> {
  const t0 = performance.now();
  const c0 = cpuMs();
  let timer: NodeJS.Timeout | undefined;
  // The same budgets as the watchdog's, once each, for hangs that leave the event loop free.
  const deadline = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      if (cpuMs() - c0 > CASE_MS) reject(new Error(`no answer within ${CASE_MS} ms of CPU time (a hang)`));
      if (performance.now() - t0 > CASE_WALL_MS) reject(new Error(`no answer within ${CASE_WALL_MS} ms, wall clock (a hang)`));
    }, 100);
  });
  let outcome: Outcome;
  let why = '';
  watchCase(`${parser}: ${currentInput}`);
  try {
    const p = await Promise.race([Promise.resolve().then(run), deadline]);
    outcome = p.warnings.length > 0 ? 'warning' : 'ok';
    for (const v of p.numbers) {
      if (v === Infinity || v === -Infinity) {
        outcome = 'bad';
        why = `an infinite number in the output`;
        break;
      }
      if (Number.isNaN(v) && p.warnings.length === 0) {
        outcome = 'bad';
        why = 'NaN in the output and no warning';
        break;
      }
    }
  } catch (err) {
    if (err instanceof UserError) {
      const m = err.message;
      const named = names.some((n) => m.includes(n) || m.includes(basename(n)));
      outcome = !m.includes('\n') && named && m.length < 2000 ? 'error' : 'bad';
      if (outcome === 'bad') why = `UserError not one short line naming the file: ${JSON.stringify(m.slice(0, 300))}`;
    } else {
      outcome = 'bad';
      why = `${(err as Error)?.name}: ${(err as Error)?.message?.slice(0, 300)}`;
    }
  } finally {
    clearInterval(timer);
    watchCase(undefined);
  }
  const ms = cpuMs() - c0;
  if (outcome !== 'bad' && ms > CASE_MS) {
    outcome = 'bad';
    why = `took ${ms.toFixed(0)} ms of CPU time`;
  }
  record(parser, outcome);
  if (outcome === 'bad') {
    console.error(`${parser}: bad outcome: ${why}`);
    throw new Error(`${parser}: bad outcome: ${why}`);
  }
  return outcome;
}

/** The property runner every parser uses: fixed seed, RUNS cases, no shrinking beyond a few steps. */
export async function fuzz<T>(arb: fc.Arbitrary<T>, body: (v: T) => Promise<unknown>): Promise<void> {
  await fc.assert(
    fc.asyncProperty(arb, async (v) => {
      currentInput = clipped(v);
      await body(v);
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: false, interruptAfterTimeLimit: 30 * 60_000 },
  );
}

/** A case's input as the watchdog quotes it: JSON, long strings cut (a 1 MB token stays out). */
function clipped(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'string' && x.length > 60 ? `${x.slice(0, 60)}...(${x.length})` : x)).slice(
    0,
    900,
  );
}

/** The tally as a table, for the test log and (FUZZ_REPORT=<file>) the closing note. */
export function tallyTable(): string {
  const rows = [...tally.entries()].sort(([a], [b]) => a.localeCompare(b));
  const total = { ok: 0, warning: 0, error: 0, bad: 0 };
  const lines = ['parser                     cases     ok  ok+warning  one-line error  bad'];
  for (const [p, t] of rows) {
    const n = t.ok + t.warning + t.error + t.bad;
    for (const k of Object.keys(total) as Outcome[]) total[k] += t[k];
    lines.push(
      `${p.padEnd(25)} ${String(n).padStart(6)} ${String(t.ok).padStart(6)} ${String(t.warning).padStart(11)} ${String(t.error).padStart(15)} ${String(t.bad).padStart(4)}`,
    );
  }
  const n = total.ok + total.warning + total.error + total.bad;
  lines.push(
    `${'total'.padEnd(25)} ${String(n).padStart(6)} ${String(total.ok).padStart(6)} ${String(total.warning).padStart(11)} ${String(total.error).padStart(15)} ${String(total.bad).padStart(4)}`,
  );
  return lines.join('\n');
}

export function caseDir(base: string, i: number): string {
  const d = join(base, `case-${i}`);
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d, { recursive: true });
  return d;
}
