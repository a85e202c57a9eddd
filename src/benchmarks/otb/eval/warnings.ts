import type { OtbEvaluation } from '../metrics/types.ts';

/**
 * The text of warnings.txt: every defect found while loading and scoring, grouped by tracker, one per
 * line as `<tracker>: <target>: <defect>` so that grep finds a tracker or a target.
 */
export function formatOtbWarnings(ev: OtbEvaluation, datasetWarnings: string[]): string {
  const lines = [`# ${ev.label ?? ev.dataset}, convention ${ev.convention}: defects found while loading and scoring`];
  for (const w of datasetWarnings) lines.push(`dataset: ${w}`);
  let total = datasetWarnings.length;
  for (const t of ev.trackers) {
    for (const w of t.warnings) lines.push(`${t.tracker}: ${w}`);
    total += t.warnings.length;
  }
  if (total === 0) lines.push('(none)');
  return `${lines.join('\n')}\n`;
}

export function countOtbWarnings(ev: OtbEvaluation, datasetWarnings: string[]): number {
  return ev.trackers.reduce((n, t) => n + t.warnings.length, datasetWarnings.length);
}
