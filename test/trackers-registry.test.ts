import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../src/core/errors.ts';
import { imageBox } from '../src/core/types.ts';
import { modelsRoot } from '../src/trackers/siamfc/factory.ts';
import { getTrackerFactory, selectTrackers, trackerNames } from '../src/trackers/registry.ts';
import type { Frame } from '../src/trackers/base/tracker.ts';

const tmp = await mkdtemp(join(tmpdir(), 'siambench-registry-'));
test.after(() => rm(tmp, { recursive: true, force: true }));

test('the registry lists siamfc, siamfc-gs and the static reference', () => {
  const names = trackerNames();
  for (const n of ['siamfc', 'siamfc-gs', 'static']) assert.ok(names.includes(n), n);
  for (const n of names) assert.equal(getTrackerFactory(n).name, n);
  assert.equal(getTrackerFactory('siamfc').needsPixels, true);
  assert.equal(getTrackerFactory('siamfc-gs').deterministic, true);
});

test('an unknown tracker is a one-line error listing the registered names', () => {
  assert.throws(
    () => getTrackerFactory('siamrpn'),
    (e: Error) => {
      assert.ok(e instanceof UserError);
      assert.equal(e.message, `unknown tracker 'siamrpn'; registered trackers: ${trackerNames().join(', ')}`);
      assert.ok(!e.message.includes('\n'));
      return true;
    },
  );
});

test('a command checks its trackers once: known, none twice, none missing', () => {
  assert.deepEqual(
    selectTrackers(['static', 'siamfc']).map((f) => f.name),
    ['static', 'siamfc'],
  );
  assert.throws(
    () => selectTrackers(['static', 'siamfc', 'static']),
    (e: unknown) => e instanceof UserError && e.message === "--trackers: 'static' is named twice",
  );
  assert.throws(() => selectTrackers([]), /--trackers: no tracker named/);
  assert.throws(() => selectTrackers(['statik']), /unknown tracker 'statik'; registered trackers: /);
});

test('static holds the initial box on every frame without reading pixels', async () => {
  const f = getTrackerFactory('static');
  assert.equal(f.needsPixels, false);
  assert.equal(f.deterministic, true);
  const init = imageBox([10.5, 20.25, 30, 40]);
  const tracker = await f.create({ seed: 3 });
  const empty = (index: number): Frame => ({ index, path: `f${index}.jpg`, width: 640, height: 480, data: new Uint8Array(0) });
  await tracker.init(empty(0), init);
  init[0] = 999; // the tracker keeps its own copy
  for (let i = 1; i < 5; i++) {
    const out = await tracker.update(empty(i));
    assert.deepEqual(out.box, [10.5, 20.25, 30, 40]);
    out.box[1] = -1; // nor can a caller change what it holds
  }
  await assert.rejects((await f.create({})).update(empty(1)), /update before init/);
});

test('SIAMBENCH_MODELS points the SiamFC trackers at another model folder; a missing one is a one-line error', async () => {
  const other = join(tmp, 'models');
  await cp(join(modelsRoot(), 'siamfc-gs'), join(other, 'siamfc-gs'), { recursive: true });
  const saved = process.env.SIAMBENCH_MODELS;
  process.env.SIAMBENCH_MODELS = other;
  try {
    const tracker = await getTrackerFactory('siamfc-gs').create({ backend: 'wasm' });
    assert.equal(tracker.describe!().model, join(other, 'siamfc-gs'));
    await assert.rejects(
      getTrackerFactory('siamfc').create({ backend: 'wasm' }),
      (e: Error) =>
        e instanceof UserError && e.message === `${join(other, 'siamfc', 'model.json')}: missing (no SiamFC model in this directory)`,
    );
  } finally {
    if (saved === undefined) delete process.env.SIAMBENCH_MODELS;
    else process.env.SIAMBENCH_MODELS = saved;
  }
});
