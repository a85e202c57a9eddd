/**
 * Issue 12 for the GOT-10k layout reader (`npm run train --data`): a folder or FIFO where a file is
 * expected, and number tokens Number() reads too leniently, end in a one-line error naming the file
 * and line, never an EISDIR stack trace, a hang or a changed box. Real files in a temporary folder;
 * the FIFO cases through the real CLI in a child process, killed if it hangs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../src/core/errors.ts';
import { frameName, readGot10kSplit } from '../src/benchmarks/got10k/layout.ts';
import { decodeRgb, imageSize } from '../src/images/decode.ts';
import { REPO } from './helpers/cli.ts';
import { tempDir } from './helpers/files.ts';
import { writeDriftingSquares } from './helpers/got10k-fixture.ts';
import { scaledMs } from './helpers/load.ts';

async function rejectsOneLine(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof UserError, `a UserError, got ${(e as Error)?.stack}`);
    assert.ok(!e.message.includes('\n') && e.message.length < 300, `one short line, got ${e.message.slice(0, 300)}`);
    assert.match(e.message, pattern);
    return true;
  });
}

function replaceWithDir(path: string): void {
  rmSync(path, { recursive: true, force: true });
  mkdirSync(path);
}

function mkfifo(path: string): void {
  rmSync(path, { recursive: true, force: true });
  assert.equal(spawnSync('mkfifo', [path]).status, 0, 'mkfifo');
}

test('GOT-10k: a folder where list.txt, groundtruth.txt, a label file or the first frame should be is a one-line error, not EISDIR', async (t) => {
  const base = tempDir(t, 'got10k-hostile-dir-');
  const cases: [string, RegExp][] = [
    ['list.txt', /list\.txt: a directory, not a regular file; not read$/],
    ['seq1/groundtruth.txt', /seq1\/groundtruth\.txt: a directory, not a regular file; not read$/],
    ['seq1/absence.label', /seq1\/absence\.label: a directory, not a regular file; not read$/],
    ['seq1/cover.label', /seq1\/cover\.label: a directory, not a regular file; not read$/],
    [`seq1/${frameName(0)}`, /seq1\/00000001\.jpg: a directory, not a regular file; not read$/],
  ];
  for (const [i, [file, want]] of cases.entries()) {
    const split = join(base, `split${i}`);
    await writeDriftingSquares(split, 2);
    writeFileSync(join(split, 'seq1', 'absence.label'), '0\n'.repeat(6));
    writeFileSync(join(split, 'seq1', 'cover.label'), '8\n'.repeat(6));
    replaceWithDir(join(split, file));
    await rejectsOneLine(readGot10kSplit(split), want);
  }
  // A name in list.txt that is a file, not a sequence folder.
  const split = join(base, 'file-seq');
  await writeDriftingSquares(split, 2);
  rmSync(join(split, 'seq1'), { recursive: true });
  writeFileSync(join(split, 'seq1'), 'not a folder\n');
  await rejectsOneLine(readGot10kSplit(split), /list\.txt:2: sequence directory '.*seq1' is a regular file, not a folder$/);
});

test('GOT-10k: 0x2, an empty token or a 1 MB number in groundtruth.txt or a label file is an error quoting the line clipped, not a changed box', async (t) => {
  const base = tempDir(t, 'got10k-hostile-num-');
  const cases: [string, string, RegExp][] = [
    ['groundtruth.txt', '0x2,15,16,16', /seq0\/groundtruth\.txt:2: expected 4 numbers x,y,w,h, got '0x2,15,16,16'$/],
    ['groundtruth.txt', ',15,16,16', /seq0\/groundtruth\.txt:2: expected 4 numbers x,y,w,h, got ',15,16,16'$/],
    ['groundtruth.txt', '1_0,15,16,16', /groundtruth\.txt:2: expected 4 numbers/],
    ['groundtruth.txt', `${'9'.repeat(1 << 20)},15,16,16`, /groundtruth\.txt:2: expected 4 numbers x,y,w,h, got '9{30,37}\.\.\.'$/],
    ['cover.label', '0x8', /seq0\/cover\.label:2: expected an integer 0\.\.8, got '0x8'$/],
    ['absence.label', '', /seq0\/absence\.label:2: expected an integer 0\.\.1, got ''$/],
  ];
  for (const [i, [file, line, want]] of cases.entries()) {
    const split = join(base, `split${i}`);
    await writeDriftingSquares(split, 1);
    const path = join(split, 'seq0', file);
    const rows = file === 'groundtruth.txt' ? ['20,15,16,16', '23,17,16,16', '26,19,16,16'] : ['0', '0', '0'];
    rows[1] = line;
    writeFileSync(path, [...rows, ...Array(3).fill(file === 'groundtruth.txt' ? '26,19,16,16' : '0')].join('\n') + '\n');
    await rejectsOneLine(readGot10kSplit(split), want);
  }
});

/** `npm run train` on `data`, killed after `seconds`: a hang is a failed test, not a stuck suite. */
function train(data: string, out: string, seconds = 180) {
  const args = ['--loss', 'logistic', '--data', data, '--out', out, '--width', '0.125', '--epochs', '1', '--pairs-per-epoch', '8'];
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'src', 'cli', 'train.ts'), ...args, '--batch', '4'], {
    cwd: REPO,
    encoding: 'utf8',
    // Catches a hang (a read blocked on a FIFO spends no CPU): wall clock, scaled by the slowdown measured at the start.
    timeout: scaledMs(seconds * 1000),
    killSignal: 'SIGKILL',
    env: { ...process.env, SIAMBENCH_DEBUG: '' },
  });
  assert.notEqual(r.signal, 'SIGKILL', `train --data ${data} hung (killed after ${scaledMs(seconds * 1000) / 1000} s)`);
  return r;
}

test('npm run train --data: a FIFO as list.txt, groundtruth.txt or a frame is a one-line error, not a hang', async (t) => {
  const base = tempDir(t, 'got10k-hostile-fifo-');
  for (const [i, file] of ['list.txt', 'seq1/groundtruth.txt', `seq0/${frameName(3)}`].entries()) {
    const split = join(base, `split${i}`);
    await writeDriftingSquares(split, 2);
    mkfifo(join(split, file));
    // The frame case in both sequences, so that the validation pairs (64 from the held-out one) read it.
    if (file.endsWith('.jpg')) mkfifo(join(split, file.replace('seq0', 'seq1')));
    const r = train(split, join(base, `out${i}`));
    assert.equal(r.status, 1, r.stderr);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
    assert.equal(errors.length, 1, r.stderr);
    assert.equal(errors[0], r.stderr.trimEnd().split('\n').at(-1), 'the error is the last line');
    assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
    assert.match(
      errors[0],
      new RegExp(`${file.replace('seq0', 'seq[01]').replace('.', '\\.')}: a FIFO \\(named pipe\\), not a regular file`),
    );
  }
});

test('a cut JPEG frame is a one-line decode error (libvips said it in several lines, twice each)', async (t) => {
  const split = join(tempDir(t, 'got10k-hostile-jpeg-'), 'train');
  await writeDriftingSquares(split, 1);
  const frame = join(split, 'seq0', frameName(2));
  writeFileSync(frame, readFileSync(frame).subarray(0, 200));
  await rejectsOneLine(decodeRgb(frame), /seq0\/00000003\.jpg: cannot decode image \(.*premature end of JPEG image/);
  await rejectsOneLine(imageSize(join(split, 'seq0')), /seq0: a directory, not a regular file; not read$/);
});
