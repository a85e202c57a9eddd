import { join } from 'node:path';
import { writeFileAtomic } from '../core/fs-atomic.ts';
import { arrange, statistics } from './comparisons.ts';
import { forestPlot } from './forest.ts';
import { writeStudyHtml } from './html.ts';
import type { PerRunRow } from './per-run.ts';
import { markdown } from './report.ts';
import { selectModels, selectionCsv, selectionMarkdown } from './selection.ts';
import { attributeCsv, studyCsv } from './tables.ts';

/**
 * Every statistical output of a study from its per-run rows: study.csv, per_attribute.csv, study.md
 * and one forest plot per test set, written atomically into `dir`; with validation rows
 * (validation.csv), selection.csv and study.md's section on the model each configuration ships.
 */
export async function writeStatistics(
  dir: string,
  rows: readonly PerRunRow[],
  validation: readonly PerRunRow[] = [],
): Promise<{ files: string[] }> {
  const sets = arrange(rows);
  const selection = selectModels(validation);
  const { rows: study, attributes } = statistics(sets);
  const files: string[] = [];
  const write = async (name: string, data: string | Uint8Array) => {
    await writeFileAtomic(join(dir, name), data);
    files.push(join(dir, name));
  };
  await write('study.csv', studyCsv(study));
  await write('per_attribute.csv', attributeCsv(attributes));
  if (selection.length) await write('selection.csv', selectionCsv(selection));
  await write('study.md', markdown(sets, study, attributes, selectionMarkdown(selection)));
  for (const set of sets) await write(`forest-${set.name}.png`, forestPlot(set.name, study));
  files.push(await writeStudyHtml(dir, study));
  return { files };
}
