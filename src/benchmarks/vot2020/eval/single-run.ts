import { existsSync } from 'node:fs';
import type { Vot2020Sequence } from '../dataset/types.ts';
import { overlap } from '../regions/raster.ts';
import type { Region } from '../regions/types.ts';
import { readProperty, readTrajectory, repetitionName, trajectoryBase, trajectoryFile } from '../results/files.ts';
import { summarisePR, thresholds, trajectoryPR, type PrecisionRecall } from '../metrics/longterm.ts';
import { trajectoryAccuracy, weightedAccuracy } from '../metrics/unsupervised.ts';
import { UserError } from '../../../core/errors.ts';

/**
 * The experiments run once from frame 0 without resets: unsupervised (average accuracy) and
 * long-term (precision, recall, F over confidence thresholds). Repetitions are the files
 * `<seq>_001`, `<seq>_002`, ... that exist; the stacks write one.
 */
function repetitions(dir: string, tracker: string, experiment: string, seq: Vot2020Sequence): string[] {
  const files: string[] = [];
  for (let r = 1; ; r++) {
    const file = trajectoryFile(trajectoryBase(dir, tracker, experiment, seq.name, repetitionName(seq.name, r)));
    if (!file) break;
    files.push(file);
  }
  if (files.length === 0) {
    throw new UserError(
      `${trajectoryBase(dir, tracker, experiment, seq.name, repetitionName(seq.name, 1))}.txt: missing (${tracker}, ${experiment})`,
    );
  }
  return files;
}

function overlapsOf(seq: Vot2020Sequence, lines: readonly Region[]): Float64Array {
  const image = { width: seq.width, height: seq.height };
  return Float64Array.from(lines, (r, i) => overlap(r, seq.groundtruth[i], image, seq.ignore?.[i]));
}

export interface UnsupervisedResult {
  accuracy: number;
  sequences: { name: string; accuracy: number }[];
}

export function evaluateUnsupervised(
  sequences: readonly Vot2020Sequence[],
  dir: string,
  tracker: string,
  experiment: string,
): UnsupervisedResult {
  const out = sequences.map((seq) => {
    const accs = repetitions(dir, tracker, experiment, seq).map((file) => {
      const lines = readTrajectory(file, seq.length);
      return trajectoryAccuracy(seq.groundtruth, lines, overlapsOf(seq, lines));
    });
    return { name: seq.name, accuracy: accs.reduce((a, b) => a + b, 0) / accs.length, length: seq.length };
  });
  return { accuracy: weightedAccuracy(out), sequences: out.map(({ name, accuracy }) => ({ name, accuracy })) };
}

export interface LongtermResult {
  precision: number;
  recall: number;
  f: number;
  thresholds: number[];
  curve: PrecisionRecall;
}

export function evaluateLongterm(sequences: readonly Vot2020Sequence[], dir: string, tracker: string, experiment: string): LongtermResult {
  const runs = sequences.map((seq) =>
    repetitions(dir, tracker, experiment, seq).map((file) => {
      const lines = readTrajectory(file, seq.length);
      const confFile = file.replace(/\.(txt|bin)$/, '_confidence.value');
      const confidence = existsSync(confFile) ? readProperty(confFile, seq.length) : new Float64Array(seq.length).fill(NaN);
      const present = Uint8Array.from(seq.groundtruth, (g) => (g.type === 'special' ? 0 : 1));
      return { overlaps: overlapsOf(seq, lines), confidence, present };
    }),
  );
  const taus = thresholds(runs.flat().flatMap((r) => Array.from(r.confidence)));
  const perSequence = runs.map((reps) => {
    const prs = reps.map((r) => trajectoryPR(r.overlaps, r.confidence, r.present, taus));
    const mean = (pick: (p: PrecisionRecall) => number[]) => taus.map((_, j) => prs.reduce((s, p) => s + pick(p)[j], 0) / prs.length);
    return { precision: mean((p) => p.precision), recall: mean((p) => p.recall) };
  });
  return { ...summarisePR(perSequence), thresholds: taus };
}
