import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureSynthetic, MANIFEST_FILE, type SyntheticOptions } from '../src/synthetic/index.ts';

const tmp = await mkdtemp(join(tmpdir(), 'siambench-synth-cache-'));
test.after(() => rm(tmp, { recursive: true, force: true }));
const small: SyntheticOptions = { seed: 5, testSequences: 2, testFrames: 30, trainSequences: 2, trainFrames: 30 };

async function run(dir: string, options: SyntheticOptions) {
  const events: string[] = [];
  const manifest = await ensureSynthetic(dir, { ...options, onSplit: (split, status) => events.push(`${split}:${status}`) });
  return { manifest, events };
}

test('a second call with the same settings reuses the set: no file is rewritten', async () => {
  const dir = join(tmp, 'reuse');
  assert.deepEqual((await run(dir, small)).events, ['test:generated']);
  const frame = join(dir, 'otb/Synth002/img/0030.jpg');
  const before = await stat(frame);
  const manifestText = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  const again = await run(dir, small);
  assert.deepEqual(again.events, ['test:cached']);
  assert.equal((await stat(frame)).mtimeMs, before.mtimeMs);
  assert.equal((await stat(frame)).ino, before.ino);
  assert.equal(await readFile(join(dir, MANIFEST_FILE), 'utf8'), manifestText);
  assert.deepEqual(again.manifest, JSON.parse(manifestText));
});

test('changed settings regenerate that split only; adding train keeps the cached test split', async () => {
  const dir = join(tmp, 'change');
  await run(dir, small);
  const testFrame = join(dir, 'otb/Synth001/img/0001.jpg');
  const ino = (await stat(testFrame)).ino;
  const withTrain = await run(dir, { ...small, splits: ['test', 'train'] });
  assert.deepEqual(withTrain.events, ['test:cached', 'train:generated']);
  assert.equal((await stat(testFrame)).ino, ino);
  assert.deepEqual(Object.keys(withTrain.manifest.splits), ['test', 'train']);

  const longer = await run(dir, { ...small, testFrames: 32, splits: ['test', 'train'] });
  assert.deepEqual(longer.events, ['test:generated', 'train:cached']);
  assert.equal(longer.manifest.splits.test!.settings.frames, 32);
  assert.equal((await readdir(join(dir, 'otb/Synth001/img'))).length, 32);
  assert.equal((await readdir(join(dir, 'vot/Synth001/color'))).length, 32);
  // Nothing of the old set or the temporary folder remains beside the layouts.
  assert.deepEqual((await readdir(dir)).sort(), ['otb', 'synthetic.json', 'train', 'vot']);

  assert.deepEqual((await run(dir, { ...small, testFrames: 32, seed: 6 })).events, ['test:generated']);
  assert.deepEqual((await run(dir, { ...small, testFrames: 32, seed: 6, force: true })).events, ['test:generated']);
});

test('a missing layout folder, a manifest of another version or an unreadable one means regenerating', async () => {
  const dir = join(tmp, 'broken');
  await run(dir, small);
  await rm(join(dir, 'vot'), { recursive: true });
  assert.deepEqual((await run(dir, small)).events, ['test:generated']);
  assert.ok(existsSync(join(dir, 'vot/list.txt')));

  const m = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8'));
  await writeFile(join(dir, MANIFEST_FILE), JSON.stringify({ ...m, version: m.version - 1 }));
  assert.deepEqual((await run(dir, small)).events, ['test:generated']);
  await writeFile(join(dir, MANIFEST_FILE), '{"generator": "siambench-synth');
  assert.deepEqual((await run(dir, small)).events, ['test:generated']);
});

test('bad options are one-line user errors naming the option', async () => {
  const dir = join(tmp, 'bad');
  await assert.rejects(ensureSynthetic(dir, { testFrames: 10 }), {
    name: 'UserError',
    message: /testFrames: expected a whole number 30\.\.9999, got 10/,
  });
  await assert.rejects(ensureSynthetic(dir, { testSequences: 1.5 }), { name: 'UserError', message: /testSequences/ });
  await assert.rejects(ensureSynthetic(dir, { splits: ['val' as 'test'] }), { name: 'UserError', message: /unknown split 'val'/ });
});

/** Runs ensureSynthetic in a child process that SIGKILLs itself at the given frame of a split. */
async function killedAt(dir: string, options: SyntheticOptions, split: string, frame: number): Promise<void> {
  const script = [
    `import { ensureSynthetic } from ${JSON.stringify(new URL('../src/synthetic/index.ts', import.meta.url).href)};`,
    `await ensureSynthetic(${JSON.stringify(dir)}, { ...${JSON.stringify(options)},`,
    `  onProgress: (p) => { if (p.split === '${split}' && p.framesDone === ${frame}) process.kill(process.pid, 'SIGKILL'); } });`,
  ].join('\n');
  const signal = await new Promise<string | null>((resolve) => {
    spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: 'ignore' }).on('exit', (_, sig) =>
      resolve(sig),
    );
  });
  assert.equal(signal, 'SIGKILL');
}

test('a generation killed part-way leaves no set that passes for complete; the next call cleans up and regenerates', async () => {
  const dir = join(tmp, 'killed');
  const old = { ...small, testFrames: 31 };
  await run(dir, old);
  const manifestOf = async () => JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8'));

  // Killed while rendering new test frames: the old set stays in place and listed, whole.
  await killedAt(dir, { ...small, splits: ['test'] }, 'test', 40);
  assert.equal((await manifestOf()).splits.test.settings.frames, 31);
  assert.equal((await readdir(join(dir, 'otb/Synth002/img'))).length, 31);
  assert.equal((await readdir(dir)).filter((e) => e.startsWith('.synthetic-test-')).length, 1);

  // Killed in the train split after the new test split went in: test is listed, train is not.
  await killedAt(dir, { ...small, splits: ['test', 'train'] }, 'train', 40);
  const left = await readdir(dir);
  assert.deepEqual(
    left.filter((e) => e.startsWith('.synthetic-')).map((e) => e.split('-')[1]),
    ['train'],
    "the dead test run's folder is gone",
  );
  assert.ok(!left.includes('train'));
  const manifest = await manifestOf();
  assert.deepEqual(Object.keys(manifest.splits), ['test']);
  assert.equal(manifest.splits.test.settings.frames, 30);
  assert.equal((await readdir(join(dir, 'otb/Synth002/img'))).length, 30);

  const next = await run(dir, { ...small, splits: ['test', 'train'] });
  assert.deepEqual(next.events, ['test:cached', 'train:generated']);
  assert.deepEqual((await readdir(dir)).sort(), ['otb', 'synthetic.json', 'train', 'vot']);
});
