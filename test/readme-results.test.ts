import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvRows } from './helpers/files.ts';

/**
 * The README's headline tables state the committed studies' results by hand; they must say what
 * docs/study/<name>/study.csv says (a study re-run, or a number typed wrong, would otherwise leave
 * the README claiming what no file holds). Each configuration's row gives, in order, per test set:
 * its mean AUC (± SD over seeds when it has several) and, beside the baseline, its ΔAUC with the
 * 95% interval.
 */

const README = readFileSync('README.md', 'utf8');
const f3 = (v: string) => Number(v).toFixed(3);
const signed = (v: string) => `${Number(v) >= 0 ? '+' : '-'}${Math.abs(Number(v)).toFixed(3)}`;

/** The README's table rows from the paragraph naming the study's spec to its plot. */
function tableRows(spec: string): string[] {
  const start = README.indexOf(`\`${spec}\``);
  assert.ok(start >= 0, `README names no ${spec}`);
  const section = README.slice(start, README.indexOf('![', start));
  return section.split('\n').filter((l) => l.startsWith('| `') || l.startsWith('| **`'));
}

for (const name of ['global-loss', 'finetune']) {
  test(`README: the ${name} table is docs/study/${name}/study.csv`, () => {
    const rows = tableRows(`studies/${name}.json`).map((r) => r.replaceAll('**', ''));
    const stats = csvRows(join('docs/study', name, 'study.csv'));
    const configs = [...new Set(stats.map((s) => s.config))];
    assert.equal(rows.length, configs.length, `${name}: one README row per configuration (${configs.join(', ')})`);
    for (const config of configs) {
      const row = rows.find((r) => r.split('|')[1].includes(`\`${config}\``));
      assert.ok(row, `${name}: no README row for ${config}`);
      const want = stats
        .filter((s) => s.config === config)
        .flatMap((s) => [
          s.auc_sd ? `${f3(s.auc_mean)} ± ${f3(s.auc_sd)}` : f3(s.auc_mean),
          ...(s.ci_low ? [`${signed(s.delta_auc)} [${signed(s.ci_low)}, ${signed(s.ci_high)}]`] : []),
        ]);
      let at = 0;
      for (const w of want) {
        const i = row.indexOf(w, at);
        assert.ok(i >= 0, `${name}, ${config}: the README row lacks ${w} (in order) where study.csv has it: ${row}`);
        at = i + w.length;
      }
    }
  });
}
