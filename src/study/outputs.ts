import { join } from 'node:path';
import { writeFileAtomic } from '../core/fs-atomic.ts';
import { arrange, statistics } from './comparisons.ts';
import { forestPlot } from './forest.ts';
import type { PerRunRow } from './per-run.ts';
import { markdown } from './report.ts';
import { attributeCsv, studyCsv } from './tables.ts';

/**
 * Every statistical output of a study from its per-run rows: study.csv, per_attribute.csv, study.md
 * and one forest plot per test set, written atomically into `dir`.
 */
export async function writeStatistics(dir: string, rows: readonly PerRunRow[]): Promise<{ files: string[] }> {
  const sets = arrange(rows);
  const { rows: study, attributes } = statistics(sets);
  const files: string[] = [];
  const write = async (name: string, data: string | Uint8Array) => {
    await writeFileAtomic(join(dir, name), data);
    files.push(join(dir, name));
  };
  await write('study.csv', studyCsv(study));
  await write('per_attribute.csv', attributeCsv(attributes));
  await write('study.md', markdown(sets, study, attributes));
  for (const set of sets) await write(`forest-${set.name}.png`, forestPlot(set.name, study));
  return { files };
}
