/**
 * Issue 25.7: `bench --experiment unsupervised` on VOT printed empty EAO, accuracy and robustness
 * columns and "Frames 0, Seqs 0" beside a valid AO. The console table shows the columns of the
 * experiments that ran.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { VotEvaluation, VotTrackerScore } from '../src/benchmarks/vot/eval/types.ts';
import { formatVotConsoleTable } from '../src/benchmarks/vot/report/report.ts';

function score(tracker: string, s: Partial<VotTrackerScore>): VotTrackerScore {
  const none = { eao: NaN, accuracy: NaN, robustness: NaN, failures: NaN, frames: 0, reliability: NaN, sequences: 0, runs: 0 };
  return { tracker, ...none, ...s } as VotTrackerScore;
}

const evaluation = (trackers: VotTrackerScore[]) =>
  ({ dataset: 'synthetic-vot', convention: 'pysot', trackers }) as unknown as VotEvaluation;

test('an unsupervised run: AO and its sequences, no empty supervised columns, best AO first', () => {
  const text = formatVotConsoleTable(
    evaluation([score('static', { ao: 0.25, aoSequences: 3 }), score('siamfc', { ao: 0.612, aoSequences: 3 })]),
  );
  const lines = text.split('\n');
  assert.equal(lines[0], 'synthetic-vot, convention pysot (unsupervised: AO = average overlap, no resets)');
  assert.deepEqual(lines[2].split(/ +/), ['Tracker', 'AO', 'Seqs']);
  assert.deepEqual(lines[4].split(/ +/), ['siamfc', '0.612', '3']);
  assert.deepEqual(lines[5].split(/ +/), ['static', '0.250', '3']);
  assert.doesNotMatch(text, /EAO|Frames/);
});

test('a supervised run keeps its columns (and AO beside them when both experiments ran)', () => {
  const text = formatVotConsoleTable(
    evaluation([
      score('siamfc', { eao: 0.3, accuracy: 0.6, robustness: 1.5, failures: 4, frames: 270, sequences: 3, ao: 0.5, aoSequences: 3 }),
    ]),
  );
  const lines = text.split('\n');
  assert.deepEqual(lines[2].split(/ +/), ['Tracker', 'EAO', 'Accuracy', 'Robustness', 'Failures', 'Frames', 'Seqs', 'AO']);
  assert.deepEqual(lines[4].split(/ +/), ['siamfc', '0.300', '0.600', '1.500', '4.0', '270', '3', '0.500']);
});
