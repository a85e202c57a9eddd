import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { atLine, UserError } from '../../../core/errors.ts';
import { writeFileAtomic } from '../../../core/fs-atomic.ts';
import { checkRegular } from '../../common/read-file.ts';
import { toNumber } from '../../common/numbers.ts';
import { parseRegion, formatRegion } from '../regions/text.ts';
import type { Region } from '../regions/types.ts';
import { readBinaryRegions } from './binary.ts';

/**
 * Result files of VOT2020+ in the VOT toolkit's workspace layout, `results/<tracker>/<experiment>/
 * <sequence>/`: a multistart run per anchor frame i (0-based) in `<seq>_<i as %08d>`, an
 * unsupervised or long-term run per repetition r in `<seq>_<r as %03d>`, each `.txt` (read first) or
 * `.bin`; per-frame properties in `<name>_<property>.value`.
 */
export function multistartName(seq: string, anchor: number): string {
  return `${seq}_${String(anchor).padStart(8, '0')}`;
}

export function repetitionName(seq: string, repetition: number): string {
  return `${seq}_${String(repetition).padStart(3, '0')}`;
}

export function trajectoryBase(resultsDir: string, tracker: string, experiment: string, seq: string, name: string): string {
  return join(resultsDir, tracker, experiment, seq, name);
}

/** The file of a trajectory: `.txt` when present, else `.bin`, else undefined. */
export function trajectoryFile(base: string): string | undefined {
  return [`${base}.txt`, `${base}.bin`].find((f) => existsSync(f));
}

/** A trajectory's regions; a file of the wrong length is a one-line error naming it. */
export function readTrajectory(file: string, expected?: number): Region[] {
  checkRegular(file);
  let regions: Region[];
  if (file.endsWith('.bin')) {
    try {
      regions = readBinaryRegions(readFileSync(file));
    } catch (e) {
      throw new UserError(`${file}: ${(e as Error).message}`, { cause: e });
    }
  } else {
    const text = readFileSync(file, 'utf8');
    const rows = text.split(/\r?\n/);
    if (rows[rows.length - 1] === '') rows.pop();
    regions = rows.map((l, i) => {
      try {
        return parseRegion(l);
      } catch (e) {
        throw atLine(file, i + 1, (e as Error).message);
      }
    });
  }
  if (expected !== undefined && regions.length !== expected)
    throw new UserError(`${file}: ${regions.length} regions, the run covers ${expected} frames`);
  return regions;
}

/** A `.value` property file: a number per frame, an empty line where none was reported (NaN). */
export function readProperty(file: string, expected: number): Float64Array {
  checkRegular(file);
  const rows = readFileSync(file, 'utf8').split(/\r?\n/);
  if (rows[rows.length - 1] === '') rows.pop();
  if (rows.length < expected) throw new UserError(`${file}: ${rows.length} values, the run covers ${expected} frames`);
  return Float64Array.from(rows.slice(0, expected), (l, i) => {
    if (l.trim() === '') return NaN;
    // decimal only: Number() would read '0x2' as 2
    const v = toNumber(l.trim()) ?? NaN;
    if (!Number.isFinite(v)) throw atLine(file, i + 1, `'${l.slice(0, 40)}' is not a number`);
    return v;
  });
}

/** Writes a trajectory as text (atomically), and optionally per-frame properties beside it. */
export async function writeTrajectory(base: string, regions: readonly Region[], properties: Record<string, ArrayLike<number>> = {}): Promise<void> {
  await mkdir(dirname(base), { recursive: true });
  for (const [name, values] of Object.entries(properties)) {
    const text = Array.from(values, (v) => (Number.isFinite(v) ? String(v) : '')).join('\n');
    await writeFileAtomic(`${base}_${name}.value`, `${text}\n`);
  }
  await writeFileAtomic(`${base}.txt`, regions.map(formatRegion).join('\n') + '\n');
}
