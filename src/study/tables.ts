import type { AttributeRow, StudyRow } from './comparisons.ts';

/** study.csv and per_attribute.csv: the comparisons as plain CSV, six decimals, empty where undefined. */

const f = (x: number, digits = 6) => (Number.isNaN(x) ? '' : x.toFixed(digits));

export function studyCsv(rows: StudyRow[]): string {
  // The Holm-adjusted columns come last, so that readers of the earlier columns by position still work.
  const head =
    'test_set,config,loss,seeds,auc_mean,auc_sd,prec_mean,prec_sd,delta_auc,ci_low,ci_high,p_value,p_seeds,sequences,p_holm,p_seeds_holm';
  return `${head}\n${rows.map((r) => `${[r.testSet, r.config, r.loss, r.seeds, f(r.aucMean), f(r.aucSd), f(r.precMean), f(r.precSd), f(r.deltaAuc), f(r.ciLow), f(r.ciHigh), f(r.p), f(r.pSeeds), r.sequences, f(r.pHolm), f(r.pSeedsHolm)].join(',')}\n`).join('')}`;
}

export function attributeCsv(rows: AttributeRow[]): string {
  const head = 'test_set,attribute,config,sequences,auc,auc_baseline,delta_auc,ci_low,ci_high';
  return `${head}\n${rows.map((r) => `${[r.testSet, r.attribute, r.config, r.sequences, f(r.auc), f(r.aucBaseline), f(r.delta), f(r.ciLow), f(r.ciHigh)].join(',')}\n`).join('')}`;
}
