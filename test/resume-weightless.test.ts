import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type RunSettings, checkResume, mergeTrackers } from '../src/runner/settings.ts';

// Issue 32: a committed study folder on a new machine holds its tracking records but not the
// fine-tuned weights (git-ignored); its stats stage merges the bench folder, which must not read
// the absent weights as a changed model, nor forget the fingerprint the records were made with.
const then = { trackers: { a: 'model sha256:aaa', b: 'built-in' } };
const now = (trackers: RunSettings['trackers']): RunSettings => ({
  dataset: 'OTB100',
  root: '/r',
  protocol: 'ope',
  convention: 'otb',
  seed: 1,
  repetitions: 1,
  trackers,
});

test('a model whose weights are absent resumes; one whose weights changed is refused, naming it', () => {
  assert.doesNotThrow(() => checkResume('/out', then, now({ a: null })));
  assert.throws(() => checkResume('/out', then, now({ a: 'model sha256:bbb' })), /--trackers: a has changed since \/out was run/);
  // A model that had no files then and has none now is the same as before.
  assert.doesNotThrow(() => checkResume('/out', { trackers: { c: null } }, now({ c: null })));
});

test('the recorded fingerprint stays when the weights are absent now; new trackers are added', () => {
  assert.deepEqual(mergeTrackers(then.trackers, { a: null, c: 'model sha256:ccc', d: null }), {
    a: 'model sha256:aaa',
    b: 'built-in',
    c: 'model sha256:ccc',
    d: null,
  });
  assert.deepEqual(mergeTrackers(undefined, { a: null }), { a: null });
});
