/**
 * Defects that change what the numbers mean (a target left out, results that are the ground truth)
 * must not hide in warnings.txt: they are printed under the table as well.
 */
export function alertLines(datasetAlerts: readonly string[], trackers: readonly { tracker: string; alerts?: string[] }[]): string[] {
  const lines = [
    ...datasetAlerts.map((a) => `dataset: ${a}`),
    ...trackers.flatMap((t) => (t.alerts ?? []).map((a) => `${t.tracker}: ${a}`)),
  ];
  return lines.length === 0 ? [] : ['attention (these change what the scores mean):', ...lines.map((l) => `  ! ${l}`)];
}
