import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { REPO, assertOneLineError, runCli, startCli } from './helpers/cli.ts';
import { SKIP_REALDATA, real } from './helpers/realdata.ts';

/**
 * Python trackers over TraX under `npm run bench`: the example NCC tracker on real OTB frames and on
 * VOT bag in two workers, a resume after kill -9, and trackers that hang, crash or flood stderr.
 */
const HAVE_PYTHON = spawnSync('python3', ['-c', 'import sys']).status === 0;
if (!HAVE_PYTHON) process.stdout.write('# skipping TraX bench tests: python3 not found\n');
const SKIP = SKIP_REALDATA || (HAVE_PYTHON ? false : 'python3 not found');

const tmp = mkdtempSync(join(tmpdir(), 'siambench-trax-bench-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const NCC = `ncc=python3 ${join(REPO, 'python', 'examples', 'ncc_tracker.py')} ${tmp}`;

/** A root with the first `n` frames of some real OTB sequences (links, ground truth cut to n rows). */
function otbRoot(names: string[], n: number): string {
  const root = join(tmp, `otb-${names.join('-')}-${n}`);
  for (const s of names) {
    mkdirSync(join(root, s, 'img'), { recursive: true });
    for (let i = 1; i <= n; i++) {
      const f = `${String(i).padStart(4, '0')}.jpg`;
      symlinkSync(real('frames', 'otb', s, 'img', f), join(root, s, 'img', f));
    }
    const gt = readFileSync(real('frames', 'otb', s, 'groundtruth_rect.txt'), 'utf8')
      .split('\n')
      .slice(0, n);
    writeFileSync(join(root, s, 'groundtruth_rect.txt'), gt.join('\n') + '\n');
  }
  return root;
}

function votRoot(n: number): string {
  const root = join(tmp, `vot-${n}`);
  const bag = join(root, 'bag');
  mkdirSync(join(bag, 'color'), { recursive: true });
  writeFileSync(join(root, 'list.txt'), 'bag\n');
  for (let i = 1; i <= n; i++) {
    const f = `${String(i).padStart(8, '0')}.jpg`;
    symlinkSync(real('frames', 'vot', 'bag', 'color', f), join(bag, 'color', f));
  }
  for (const f of readdirSync(real('frames', 'vot', 'bag')).filter((x) => x.endsWith('.tag') || x === 'groundtruth.txt')) {
    const lines = readFileSync(real('frames', 'vot', 'bag', f), 'utf8')
      .split('\n')
      .slice(0, n);
    writeFileSync(join(bag, f), lines.join('\n') + '\n');
  }
  return root;
}

/** Tracker processes of this test still alive (each command carries the test's folder). */
function leftovers(): string[] {
  const r = spawnSync('pgrep', ['-af', tmp], { encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => l.includes('python'));
}

const rawOf = (out: string, tracker: string, seq: string) => readFileSync(join(out, 'raw', tracker, `${seq}.txt`), 'utf8');

test(
  'the example Python tracker over TraX on real OTB frames, two workers, resumed after kill -9 as if never stopped',
  { skip: SKIP },
  async () => {
    const root = otbRoot(['Crossing', 'Couple'], 12);
    const args = ['--dataset', 'OTB100', '--root', root, '--trax', NCC, '--trackers', 'ncc,static', '--concurrency', '2'];
    const whole = join(tmp, 'otb-whole');
    const r = runCli('bench', [...args, '--out', whole]);
    assert.equal(r.code, 0, r.stderr);
    const record = JSON.parse(readFileSync(join(whole, 'records', 'ncc', 'Crossing.json'), 'utf8'));
    assert.equal(record.status, 'ok');
    assert.equal(record.trackerRecord.kind, 'trax');
    assert.ok(record.trackerRecord.protocolOverheadMsPerFrame >= 0);
    // NCC follows the pedestrian of Crossing over these frames: within a few pixels of the ground truth.
    const gt = readFileSync(join(root, 'Crossing', 'groundtruth_rect.txt'), 'utf8')
      .trim()
      .split('\n');
    const ours = rawOf(whole, 'ncc', 'Crossing').trim().split('\n');
    assert.equal(ours.length, 12);
    const dx = ours.map((l, i) => Math.abs(Number(l.split(/[,\s]+/)[0]) - Number(gt[i].split(/[,\s]+/)[0])));
    assert.ok(Math.max(...dx) <= 6, `x within 6 px of the ground truth: ${dx.join(' ')}`);

    const resumed = join(tmp, 'otb-resumed');
    const child = startCli('bench', [...args, '--out', resumed]);
    for (let i = 0; i < 600 && !existsSync(join(resumed, 'records', 'ncc')); i++) await new Promise((ok) => setTimeout(ok, 50));
    child.kill('SIGKILL');
    await new Promise((ok) => child.once('exit', ok));
    const again = runCli('bench', [...args, '--out', resumed]);
    assert.equal(again.code, 0, again.stderr);
    for (const seq of ['Crossing', 'Couple']) assert.equal(rawOf(resumed, 'ncc', seq), rawOf(whole, 'ncc', seq), seq);
    await new Promise((ok) => setTimeout(ok, 1500)); // trackers of the killed run see their input close
    assert.deepEqual(leftovers(), []);
  },
);

test('the example Python tracker on VOT bag: supervised resets restart the vot.py-style tracker', { skip: SKIP }, () => {
  const out = join(tmp, 'vot');
  // bag is a VOT2015-2018 sequence: a VOT2019 root holding it is refused.
  const r = runCli('bench', [
    '--dataset',
    'VOT2018',
    '--root',
    votRoot(15),
    '--trax',
    NCC,
    '--trackers',
    'ncc',
    '--out',
    out,
    '--repetitions',
    '3',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const lines = readFileSync(join(out, 'raw', 'ncc', 'baseline', 'bag', 'bag_001.txt'), 'utf8')
    .trim()
    .split('\n');
  assert.equal(lines.length, 15);
  assert.equal(lines[0], '1');
  const record = JSON.parse(readFileSync(join(out, 'records', 'ncc', 'bag.json'), 'utf8'));
  assert.equal(record.status, 'ok');
  assert.ok(
    lines.slice(1).every((l) => l.split(',').length === 4 || ['0', '1', '2'].includes(l)),
    lines.join(' | '),
  );
});

test(
  'a tracker that hangs, one that crashes and one that floods stderr: one failed job each with its reason, the run goes on',
  { skip: SKIP },
  () => {
    const ini = join(tmp, 'trackers.ini');
    const fixtures = join(REPO, 'test', 'fixtures', 'trax');
    const section = (name: string, fault: string) =>
      `[${name}]\nprotocol = traxpython\ncommand = fault_tracker\npaths = ${fixtures}\nenv_fault = ${fault}\nenv_marker = ${tmp}\n`;
    writeFileSync(ini, [section('sleeper', 'sleep'), section('crasher', 'crash'), section('chatty', 'stderr')].join('\n'));
    const out = join(tmp, 'faults');
    const r = runCli(
      'bench',
      [
        '--dataset',
        'OTB100',
        '--root',
        otbRoot(['Crossing'], 10),
        '--trackers-ini',
        ini,
        '--trackers',
        'sleeper,crasher,chatty,static',
        '--out',
        out,
        '--timeout',
        '2s',
        '--concurrency',
        '2',
      ],
      { SIAMBENCH_TRAX_LOG_CAP: '100000' },
    );
    assert.equal(r.code, 0, r.stderr);
    const rec = (t: string) => JSON.parse(readFileSync(join(out, 'records', t, 'Crossing.json'), 'utf8'));
    assert.equal(rec('sleeper').status, 'failed');
    assert.match(
      rec('sleeper').error,
      /^sleeper: the tracker did not answer frame 3 within 2 s \(--timeout\); the tracker did not end on quit within 1 s and was ended by siambench with SIGTERM/,
    );
    assert.equal(rec('crasher').status, 'failed');
    assert.match(
      rec('crasher').error,
      /^crasher: the tracker ended while siambench waited for its answer to frame 3; the tracker was killed by SIGSEGV/,
    );
    assert.equal(rec('chatty').status, 'ok');
    assert.equal(rec('static').status, 'ok');
    // The flood's log keeps its beginning and its end, within the cap.
    const logs = readdirSync(join(out, 'trax-logs', 'chatty'));
    const log = readFileSync(join(out, 'trax-logs', 'chatty', logs[0]), 'utf8');
    assert.ok(log.length < 100_500, `${log.length} characters`);
    assert.match(log, /characters left out \(log cap 100000\)/);
    assert.deepEqual(leftovers(), []);
  },
);

test('trackers.ini mistakes are one line naming the file, the section and the key', () => {
  const cases: [string, RegExp][] = [
    ['[mine]\ncommand = python3 x.py\nlog = yes\n', /trackers\.ini: \[mine\] log: unknown key/],
    ['[mine]\nprotocol = trax\n', /trackers\.ini: \[mine\] command: missing/],
    ['[mine]\ncommand = x\nprotocol = traxmatlab\n', /trackers\.ini: \[mine\] protocol: 'traxmatlab' is not supported here/],
    ['[mine]\ncommand = ./run.sh\n', /trackers\.ini: \[mine\] command: '\.\/run\.sh' is a relative path/],
    ['[mine]\ncommand = no-such-program-here\n', /trackers\.ini: \[mine\] command: 'no-such-program-here' is not on PATH/],
    ['[mine]\ncommand = python3 x.py\ntimeout = soon\n', /trackers\.ini: \[mine\] timeout: 'soon' is not a whole number/],
    ['[mine]\ncommand = python3 x.py\nrestart = maybe\n', /trackers\.ini: \[mine\] restart: 'maybe' is not a boolean/],
    ['[static]\ncommand = python3 x.py\n', /trackers\.ini \[static\]: the tracker name 'static' is already taken/],
  ];
  for (const [text, want] of cases) {
    const ini = join(tmp, 'bad', 'trackers.ini');
    mkdirSync(join(tmp, 'bad'), { recursive: true });
    writeFileSync(ini, text);
    assertOneLineError(runCli('bench', ['--trackers-ini', ini, '--trackers', 'static', '--out', join(tmp, 'never')]), want);
  }
});
