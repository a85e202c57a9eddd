import { join } from 'node:path';
import { writeFileAtomic } from '../../../core/fs-atomic.ts';
import type { ToolkitBox } from '../../../core/types.ts';

/** A TRE or SRE run's file: `<dir>/<tracker>/<target>/<target>_NNN.txt` (run numbers from 1, as VOT's repetitions). */
export function otbRunPath(dir: string, tracker: string, target: string, run: number): string {
  return join(dir, tracker, target, `${target}_${String(run).padStart(3, '0')}.txt`);
}

/** One TRE or SRE run: its times (`_NNN_time.txt`) first, then its boxes, each atomically. */
export async function writeOtbRun(dir: string, tracker: string, target: string, run: number, otbBoxes: ToolkitBox[], times: number[]): Promise<void> {
  const file = otbRunPath(dir, tracker, target, run);
  await writeFileAtomic(file.replace(/\.txt$/, '_time.txt'), times.map((t) => t.toFixed(8)).join('\n') + '\n');
  await writeFileAtomic(file, otbBoxes.map((b) => b.map((v) => v.toFixed(3)).join(',')).join('\n') + '\n');
}

/**
 * Writes one target's one-pass result in the got10k-toolkit layout, which pysot and this project's
 * importer read too: `<dir>/<tracker>/<target>.txt` (OTB boxes, 1-based, `%.3f`, commas) and
 * `<dir>/<tracker>/times/<target>_time.txt` (seconds per frame). The times go first and the boxes
 * last, so a result file on disk always has its times beside it.
 */
export async function writeOtbResult(dir: string, tracker: string, target: string, otbBoxes: ToolkitBox[], times: number[]): Promise<string> {
  await writeFileAtomic(join(dir, tracker, 'times', `${target}_time.txt`), times.map((t) => t.toFixed(8)).join('\n') + '\n');
  const file = join(dir, tracker, `${target}.txt`);
  await writeFileAtomic(file, otbBoxes.map((b) => b.map((v) => v.toFixed(3)).join(',')).join('\n') + '\n');
  return file;
}
