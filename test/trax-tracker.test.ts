import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { imageBox } from '../src/core/types.ts';
import type { TraxDefinition } from '../src/trackers/trax/definition.ts';
import { TraxTracker } from '../src/trackers/trax/tracker.ts';
import { REPO, startCli } from './helpers/cli.ts';
import { SKIP_REALDATA, real } from './helpers/realdata.ts';

/**
 * A TraX tracker as the runner sees it: re-initialised in the same process (version 4's
 * argument-less initialize) unless it asks for restarts, and no tracker process left after Ctrl-C.
 */
const HAVE_PYTHON = spawnSync('python3', ['-c', 'import sys']).status === 0;
if (!HAVE_PYTHON) process.stdout.write('# skipping TraX tracker tests: python3 not found\n');
const SKIP = SKIP_REALDATA || (HAVE_PYTHON ? false : 'python3 not found');
const tmp = mkdtempSync(join(tmpdir(), 'siambench-trax-tracker-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const frame = (i: number) => ({
  index: i - 1,
  path: real('frames', 'otb', 'Crossing', 'img', `${String(i).padStart(4, '0')}.jpg`),
  width: 360,
  height: 240,
  data: new Uint8Array(0),
});

function definition(command: string[], restart = false): TraxDefinition {
  return {
    name: 'echo',
    label: 'echo',
    source: 'test',
    command,
    env: { TRAX: '1' },
    cwd: null,
    timeoutMs: null,
    restart,
    socket: false,
    files: [],
  };
}

const settings = { stepMs: 10_000, handshakeMs: 10_000, logDir: null, logCap: 1 << 20 };

test('re-initialising reuses the process (argument-less initialize), unless restart is set', { skip: SKIP }, async () => {
  const echo = ['python3', join(REPO, 'test', 'fixtures', 'trax', 'echo_server.py')];
  for (const restart of [false, true]) {
    const t = new TraxTracker(definition(echo, restart), settings);
    await t.init(frame(1), imageBox([204, 150, 17, 50]));
    assert.deepEqual([...(await t.update(frame(2))).box], [204, 150, 17, 50]);
    await t.init(frame(3), imageBox([10, 20, 30, 40]));
    const out = await t.update(frame(4));
    assert.deepEqual([...out.box], [10, 20, 30, 40]);
    assert.ok(out.seconds! > 0 && out.seconds! < 10);
    assert.equal(t.describe().processes, restart ? 2 : 1);
    await t.dispose();
  }
});

test('Ctrl-C of a bench ends every tracker process group', { skip: SKIP }, async () => {
  const root = join(tmp, 'otb');
  mkdirSync(join(root, 'Crossing', 'img'), { recursive: true });
  for (let i = 1; i <= 10; i++) {
    const f = `${String(i).padStart(4, '0')}.jpg`;
    symlinkSync(real('frames', 'otb', 'Crossing', 'img', f), join(root, 'Crossing', 'img', f));
  }
  const gt = readFileSync(real('frames', 'otb', 'Crossing', 'groundtruth_rect.txt'), 'utf8')
    .split('\n')
    .slice(0, 10);
  writeFileSync(join(root, 'Crossing', 'groundtruth_rect.txt'), gt.join('\n') + '\n');
  const sleeper = `sleeper=python3 ${join(REPO, 'test', 'fixtures', 'trax', 'fault_tracker.py')} ${tmp}`;
  const child = startCli(
    'bench',
    ['--dataset', 'OTB100', '--root', root, '--trax', sleeper, '--trackers', 'sleeper', '--out', join(tmp, 'out')],
    {
      FAULT: 'sleep',
    },
  );
  const alive = () =>
    spawnSync('pgrep', ['-af', tmp], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter((l) => l.includes('python'));
  for (let i = 0; i < 400 && alive().length === 0; i++) await new Promise((ok) => setTimeout(ok, 50));
  assert.equal(alive().length, 1, 'the tracker runs');
  await new Promise((ok) => setTimeout(ok, 500)); // it is asleep in frame 3 now
  child.kill('SIGINT');
  const [, signal] = (await new Promise((ok) => child.once('exit', (...a) => ok(a)))) as [number | null, string | null];
  assert.equal(signal, 'SIGINT');
  await new Promise((ok) => setTimeout(ok, 300));
  assert.deepEqual(alive(), []);
});
