import { join } from 'node:path';
import { writeFileAtomic } from '../../../core/fs-atomic.ts';
import type { VotExperiment, VotResultLine } from './types.ts';

/** `<results>/<tracker>/<experiment>/<seq>/<seq>_<rep:03d>.txt`, the layout every VOT toolkit reads. */
export function votResultPath(
  resultsDir: string,
  tracker: string,
  experiment: VotExperiment,
  sequence: string,
  repetition: number,
): string {
  return join(resultsDir, tracker, experiment, sequence, `${sequence}_${String(repetition).padStart(3, '0')}.txt`);
}

/** The per-repetition time file beside it: `<seq>_<rep:03d>_time.txt`, seconds per frame. */
export function votTimePath(resultsDir: string, tracker: string, experiment: VotExperiment, sequence: string, repetition: number): string {
  return votResultPath(resultsDir, tracker, experiment, sequence, repetition).replace(/\.txt$/, '_time.txt');
}

/** Four decimals, as trax reports regions; trailing zeros dropped. */
const num = (v: number): string => {
  const s = v.toFixed(4).replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
};

export function formatVotLine(line: VotResultLine): string {
  return typeof line === 'number' ? String(line) : line.map(num).join(',');
}

export function formatVotResult(lines: VotResultLine[]): string {
  return lines.map(formatVotLine).join('\n') + '\n';
}

export function formatVotTimes(times: number[]): string {
  return times.map((t) => (Number.isFinite(t) ? t.toExponential(6) : 'NaN')).join('\n') + '\n';
}

/**
 * Writes one run (result file and, when times are given, its time file) atomically, so a runner killed
 * mid-sequence never leaves a half-written result that the importer would then score. Returns the paths.
 */
export async function writeVotRun(
  resultsDir: string,
  tracker: string,
  experiment: VotExperiment,
  sequence: string,
  repetition: number,
  run: { lines: VotResultLine[]; times?: number[] },
): Promise<string[]> {
  if (!Number.isInteger(repetition) || repetition < 1 || repetition > 999) throw new Error(`repetition ${repetition} out of 1..999`);
  const file = votResultPath(resultsDir, tracker, experiment, sequence, repetition);
  await writeFileAtomic(file, formatVotResult(run.lines));
  if (!run.times) return [file];
  const timeFile = votTimePath(resultsDir, tracker, experiment, sequence, repetition);
  await writeFileAtomic(timeFile, formatVotTimes(run.times));
  return [file, timeFile];
}
