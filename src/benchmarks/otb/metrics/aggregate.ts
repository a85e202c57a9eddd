import type { OtbScores } from './types.ts';
import { scoresFromCurves } from './curves.ts';

/**
 * Averaging sequences into one score. Sequences weigh equally, whatever their length: the curve of
 * a set is the mean of the sequences' curves, and its AUC the mean of that curve.
 */

export interface AggregateOptions {
  /**
   * The OTB toolkit (perfPlot/plotDrawSave: `aa = aa(sum(aa,2) > eps, :)`) leaves out of the mean every
   * sequence whose curve is zero at all thresholds, separately for each curve. In practice only a
   * sequence with invalid first-frame ground truth can hit this, but it is the toolkit's rule.
   */
  dropAllZeroCurves: boolean;
}

function meanCurve(curves: number[][], dropAllZero: boolean): number[] {
  const kept = dropAllZero ? curves.filter((c) => c.reduce((a, b) => a + b, 0) > Number.EPSILON) : curves;
  if (kept.length === 0) return curves.length > 0 ? curves[0].map(() => 0) : [];
  const out = new Array<number>(kept[0].length).fill(0);
  for (const c of kept) for (let i = 0; i < c.length; i++) out[i] += c[i];
  for (let i = 0; i < out.length; i++) out[i] /= kept.length;
  return out;
}

/** Aggregate over sequences; undefined when there is none. */
export function aggregateScores(seqs: OtbScores[], opts: AggregateOptions): (OtbScores & { sequences: number }) | undefined {
  if (seqs.length === 0) return undefined;
  const s = scoresFromCurves(
    meanCurve(
      seqs.map((q) => q.successCurve),
      opts.dropAllZeroCurves,
    ),
    meanCurve(
      seqs.map((q) => q.precisionCurve),
      opts.dropAllZeroCurves,
    ),
    meanCurve(
      seqs.map((q) => q.normPrecisionCurve),
      opts.dropAllZeroCurves,
    ),
    seqs.reduce((a, q) => a + q.frames, 0),
  );
  return { ...s, sequences: seqs.length };
}

/** The OTB toolkit draws no plot for an attribute carried by fewer than 2 sequences. */
const MIN_SEQUENCES_PER_ATTRIBUTE = 2;

/**
 * Per-attribute aggregates: for each attribute code, the aggregate over the sequences that carry it.
 * Attributes with fewer than MIN_SEQUENCES_PER_ATTRIBUTE sequences are left out, as the toolkit does.
 */
export function aggregateByAttribute<T extends OtbScores & { attributes: string[] }>(
  seqs: T[],
  opts: AggregateOptions,
  order?: readonly string[],
): Record<string, OtbScores & { sequences: number }> {
  const groups = new Map<string, T[]>();
  for (const code of order ?? []) groups.set(code, []);
  for (const s of seqs) {
    for (const a of s.attributes) {
      if (!groups.has(a)) groups.set(a, []);
      groups.get(a)!.push(s);
    }
  }
  const out: Record<string, OtbScores & { sequences: number }> = {};
  for (const [code, members] of groups) {
    if (members.length < MIN_SEQUENCES_PER_ATTRIBUTE) continue;
    out[code] = aggregateScores(members, opts)!;
  }
  return out;
}
