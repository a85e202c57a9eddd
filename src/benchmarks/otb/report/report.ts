import { join } from 'node:path';
import { reportFiles } from '../../../output/files.ts';
import type { OtbEvaluation } from '../metrics/types.ts';
import { baselineCsv, baselineForestPng } from './baseline.ts';
import { plotSpec, renderCurvePlot, type CurveKind } from './plots.ts';
import { consoleTable, latexTable, perAttributeCsv, perSequenceCsv, summaryCsv, summaryJson } from './tables.ts';

/**
 * Writes the OTB report of one evaluation into `outDir` (every file atomically) and returns the
 * paths written:
 *   summary.csv, summary.json, per_sequence.csv, per_attribute.csv, summary.tex, rules.txt,
 *   success.png, precision.png, attributes/{success,precision}_<ATTR>.png
 * Every file names the dataset and the convention; rules.txt, summary.json and summary.tex also
 * list the convention's rules.
 */
export async function writeOtbReport(outDir: string, ev: OtbEvaluation): Promise<string[]> {
  const { written, put } = reportFiles(outDir);
  await put('summary.csv', summaryCsv(ev));
  await put('summary.json', summaryJson(ev));
  await put('per_sequence.csv', perSequenceCsv(ev));
  await put('per_attribute.csv', perAttributeCsv(ev));
  await put('summary.tex', latexTable(ev));
  await put('rules.txt', rulesText(ev));
  if (ev.baseline) {
    await put('baseline.csv', baselineCsv(ev.baseline));
    const title = `AUC difference from ${ev.baseline[0]?.baseline ?? 'the baseline'}, paired bootstrap 95% CI over sequences (${ev.dataset})`;
    await put('baseline_forest.png', baselineForestPng(ev.baseline, title));
  }
  if (ev.trackers.some((t) => t.overall.sequences > 0)) {
    for (const kind of ['success', 'precision'] as CurveKind[]) {
      await put(`${kind}.png`, renderCurvePlot(plotSpec(ev, kind), kind));
    }
    for (const attr of attributesOf(ev)) {
      for (const kind of ['success', 'precision'] as CurveKind[]) {
        await put(join('attributes', `${kind}_${attr}.png`), renderCurvePlot(plotSpec(ev, kind, attr), kind));
      }
    }
  }
  return written;
}

/** The console table printed by the eval CLI (the same figures as summary.csv). */
export function formatOtbConsoleTable(ev: OtbEvaluation): string {
  return consoleTable(ev);
}

function attributesOf(ev: OtbEvaluation): string[] {
  const seen = new Set<string>();
  for (const t of ev.trackers) for (const a of Object.keys(t.perAttribute)) seen.add(a);
  return [...seen];
}

function rulesText(ev: OtbEvaluation): string {
  return [
    `${ev.label ?? ev.dataset}: one-pass evaluation scored with the ${ev.convention} convention.`,
    'Rules applied:',
    ...ev.rules.map((r) => `  - ${r}`),
    '',
    'Scores are fractions in [0, 1]. success_auc = mean of the 21-point success curve; precision_20 = share of',
    'frames with centre error <= 20 px; norm_precision_20 = share with normalised centre error <= 0.2;',
    'op50 / op75 = share of frames with IoU > 0.5 / 0.75. Plots show the best 10 trackers, as the OTB toolkit does.',
    '',
  ].join('\n');
}
