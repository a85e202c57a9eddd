/**
 * The GOT-10k test submission: checked before packing (every sequence, one line per frame, no NaN,
 * time files) and packed as the server takes it, on the published Ocean results in the server's
 * layout; the zip is read back with Python's zipfile, an independent reader.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkGot10kTest, packGot10kTest } from '../src/benchmarks/got10k/submission.ts';
import { GOT10K_TEST_FRAMES } from '../src/benchmarks/got10k/test-set.ts';
import { tempDir } from './helpers/files.ts';
import { runCli } from './helpers/cli.ts';
import { real, SKIP_REALDATA } from './helpers/realdata.ts';

const OCEAN = () => real('results', 'GOT-10k-test', 'tracking-raw-results', 'Ocean-online');
const HAVE_PYTHON = spawnSync('python3', ['-c', 'import zipfile'], { stdio: 'ignore' }).status === 0;

test('the built-in test set: 180 sequences, 22,834 frames, 51 to 920 each', () => {
  assert.equal(GOT10K_TEST_FRAMES.length, 180);
  assert.equal(
    GOT10K_TEST_FRAMES.reduce((a, b) => a + b, 0),
    22834,
  );
  assert.deepEqual([Math.min(...GOT10K_TEST_FRAMES), Math.max(...GOT10K_TEST_FRAMES)], [51, 920]);
});

test("Ocean's test results pass the check and pack into the server's layout, byte for byte", { skip: SKIP_REALDATA }, async (t) => {
  const zip = join(tempDir(t, 'got10k-pack-'), 'ocean.zip');
  assert.deepEqual(checkGot10kTest(OCEAN()).problems, []);
  assert.deepEqual(await packGot10kTest(OCEAN(), zip), { sequences: 180, entries: 360 });
  if (!HAVE_PYTHON) return t.diagnostic('python3 not found: the zip is not read back');
  const py = `import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None
print(json.dumps({n: len(z.read(n)) for n in z.namelist()}))`;
  const sizes = JSON.parse(execFileSync('python3', ['-c', py, zip]).toString()) as Record<string, number>;
  assert.equal(Object.keys(sizes).length, 360);
  for (const seq of ['GOT-10k_Test_000001', 'GOT-10k_Test_000180']) {
    for (const f of [`${seq}_001.txt`, `${seq}_time.txt`])
      assert.equal(sizes[`${seq}/${f}`], readFileSync(join(OCEAN(), seq, f)).length, f);
  }
});

test(
  'every problem is listed and nothing is packed: a missing sequence, a short file, a NaN, a missing time file',
  { skip: SKIP_REALDATA },
  async (t) => {
    const dir = join(tempDir(t, 'got10k-bad-'), 'Ocean');
    cpSync(OCEAN(), dir, { recursive: true });
    rmSync(join(dir, 'GOT-10k_Test_000007'), { recursive: true });
    const short = join(dir, 'GOT-10k_Test_000010', 'GOT-10k_Test_000010_001.txt');
    writeFileSync(short, readFileSync(short, 'utf8').split('\n').slice(1).join('\n'));
    const nan = join(dir, 'GOT-10k_Test_000020', 'GOT-10k_Test_000020_001.txt');
    writeFileSync(nan, readFileSync(nan, 'utf8').replace(/\n[^\n]*\n/, '\nnan,nan,nan,nan\n'));
    rmSync(join(dir, 'GOT-10k_Test_000030', 'GOT-10k_Test_000030_time.txt'));
    const { problems } = checkGot10kTest(dir);
    const text = problems.join('\n');
    assert.match(text, /GOT-10k_Test_000007: no result/);
    assert.match(
      text,
      new RegExp(
        `GOT-10k_Test_000010_001\\.txt: ${GOT10K_TEST_FRAMES[9] - 1} line\\(s\\), the sequence has ${GOT10K_TEST_FRAMES[9]} frames`,
      ),
    );
    assert.match(text, /GOT-10k_Test_000020_001\.txt:2: 'nan,nan,nan,nan' is not 4 finite numbers/);
    assert.match(text, /GOT-10k_Test_000030: no time file/);
    assert.equal(problems.length, 4);
    const zip = join(dir, '..', 'out.zip');
    await assert.rejects(packGot10kTest(dir, zip), /not packed, 4 problem\(s\)/);
    assert.ok(!existsSync(zip));
    const r = runCli('pack', ['--benchmark', 'GOT-10k-test', '--results', dir, '--out', zip]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout.split('\n').filter((l) => l.startsWith('problem: ')).length, 4);
    assert.match(r.stderr, /4 problem\(s\) above; nothing packed/);
    assert.ok(!existsSync(zip));
  },
);
