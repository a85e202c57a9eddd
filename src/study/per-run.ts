import { UserError } from '../core/errors.ts';
import { readUtf8 } from '../core/text-file.ts';

/**
 * per_run.csv is the study's evidence: one row per (configuration, seed, test set, sequence), with
 * the loss, which configuration is the baseline and the sequence's attributes, so that every table,
 * interval and plot below is a function of that file alone (`npm run study -- --recompute <dir>`).
 */

export interface PerRunRow {
  config: string;
  seed: number;
  testSet: string;
  sequence: string;
  auc: number;
  precision: number;
  loss: string;
  baseline: boolean;
  attributes: string[];
}

const PER_RUN_COLUMNS = ['config', 'seed', 'test_set', 'sequence', 'auc', 'precision', 'loss', 'baseline', 'attributes'];

/** Names hold no commas, quotes or spaces (the spec's name rule; attributes are codes), so plain CSV. */
export function perRunCsv(rows: readonly PerRunRow[]): string {
  const lines = rows.map((r) =>
    [r.config, r.seed, r.testSet, r.sequence, String(r.auc), String(r.precision), r.loss, r.baseline ? 1 : 0, r.attributes.join(' ')].join(
      ',',
    ),
  );
  return `${PER_RUN_COLUMNS.join(',')}\n${lines.map((l) => `${l}\n`).join('')}`;
}

export function parsePerRun(text: string, file: string): PerRunRow[] {
  const [head, ...body] = text.split('\n').filter((l) => l !== '');
  if (head !== PER_RUN_COLUMNS.join(',')) throw new UserError(`${file}: expected the header ${PER_RUN_COLUMNS.join(',')}`);
  return body.map((line, i) => {
    const f = line.split(',');
    const num = (v: string, what: string) => {
      const x = Number(v);
      if (v === '' || !Number.isFinite(x)) throw new UserError(`${file}:${i + 2}: ${what}: expected a number, got '${v}'`);
      return x;
    };
    if (f.length !== PER_RUN_COLUMNS.length)
      throw new UserError(`${file}:${i + 2}: expected ${PER_RUN_COLUMNS.length} fields, got ${f.length}`);
    return {
      config: f[0],
      seed: num(f[1], 'seed'),
      testSet: f[2],
      sequence: f[3],
      auc: num(f[4], 'auc'),
      precision: num(f[5], 'precision'),
      loss: f[6],
      baseline: f[7] === '1',
      attributes: f[8] === '' ? [] : f[8].split(' '),
    };
  });
}

/** per_run.csv read and parsed; `option` names where the file came from, for the error. */
export async function readPerRun(file: string, option: string): Promise<PerRunRow[]> {
  let text: string;
  try {
    text = await readUtf8(file);
  } catch {
    throw new UserError(`${option}: cannot read ${file}`);
  }
  return parsePerRun(text, file);
}
