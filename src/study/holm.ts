/**
 * Holm's step-down adjustment of a family of p-values (Holm 1979): the i-th smallest of m is
 * multiplied by m - i + 1, then made monotone so that an adjusted p never falls below that of a
 * smaller raw one, and capped at 1. It holds the family-wise error rate at the level for any
 * dependence between the tests (the comparisons of one study share the baseline, so they are
 * dependent) and is uniformly more powerful than Bonferroni. NaN entries are not in the family.
 */
export function holm(ps: readonly number[]): number[] {
  const idx = ps.flatMap((p, i) => (Number.isNaN(p) ? [] : [i])).sort((a, b) => ps[a] - ps[b] || a - b);
  const m = idx.length;
  const out = ps.map(() => NaN);
  let running = 0;
  idx.forEach((i, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * ps[i]));
    out[i] = running;
  });
  return out;
}
