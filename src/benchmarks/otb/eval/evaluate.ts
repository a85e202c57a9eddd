import type { OtbConvention } from '../../../core/types.ts';
import { aggregateByAttribute, aggregateScores } from '../metrics/aggregate.ts';
import { CONVENTIONS, measureFrames } from '../metrics/conventions.ts';
import { sequenceScores } from '../metrics/curves.ts';
import { meanFps } from '../metrics/speed.ts';
import { alignSequence, flattenBoxes, type AlignResult, type AlignTarget } from './align.ts';
import type { OtbEvaluation, OtbScores, OtbSequenceScores, OtbTrackerEvaluation } from '../metrics/types.ts';

/** The parts of a loaded OTB dataset the evaluation reads (OtbDataset satisfies it). */
export interface EvalDataset {
  name: string;
  targets: (AlignTarget & { attributes: string[] })[];
}

/** The parts of one tracker's imported results the evaluation reads (TrackerResults satisfies it). */
export interface EvalTrackerResults {
  tracker: string;
  sequences: Map<string, AlignResult & { times?: number[]; defects: string[] }>;
  missing: string[];
  warnings: string[];
}

const EMPTY_CURVES: OtbScores = {
  successCurve: [],
  precisionCurve: [],
  normPrecisionCurve: [],
  successAuc: 0,
  precision20: 0,
  normPrecision20: 0,
  op50: 0,
  op75: 0,
  frames: 0,
};

/**
 * Scores every tracker on every target of the dataset under one convention. Pure: no I/O. A target
 * a tracker has no result for is left out of that tracker's averages and named in its warnings.
 */
export function evaluateOtb(dataset: EvalDataset, results: EvalTrackerResults[], convention: OtbConvention = 'otb'): OtbEvaluation {
  const rules = CONVENTIONS[convention];
  const agg = { dropAllZeroCurves: rules.dropAllZeroCurves };
  // Flattened once per target: every tracker reads the same ground truth.
  const gtFlat = dataset.targets.map((t) => flattenBoxes(t.groundTruth));
  const trackers: OtbTrackerEvaluation[] = results.map((res) => {
    const warnings = [...res.warnings];
    const perSequence: OtbSequenceScores[] = [];
    const notScored: string[] = [];
    for (const [ti, target] of dataset.targets.entries()) {
      const seq = res.sequences.get(target.name);
      if (!seq) {
        notScored.push(target.name);
        continue;
      }
      for (const d of seq.defects) warnings.push(`${target.name}: ${d}`);
      const al = alignSequence(target, seq, rules, gtFlat[ti]);
      for (const d of al.defects) warnings.push(`${target.name}: ${d}`);
      const m = measureFrames(al.gt, al.pred, rules, al.missing);
      if (m.replaced > 0) {
        warnings.push(`${target.name}: ${m.replaced} prediction(s) with w <= 0, h <= 0 or NaN replaced by the previous box`);
      }
      const frames = al.gt.length / 4;
      const scores = sequenceScores(m.iou, m.centre, m.normCentre, rules.successThresholds, frames);
      const fps = seq.times && seq.times.length > 0 ? rules.sequenceFps(seq.times) : undefined;
      perSequence.push({ ...scores, target: target.name, attributes: target.attributes, ...(fps !== undefined ? { fps } : {}) });
    }
    if (notScored.length > 0) {
      warnings.push(`no result for ${notScored.length} target(s), left out of the averages: ${notScored.join(', ')}`);
    }
    const overall = aggregateScores(perSequence, agg) ?? { ...EMPTY_CURVES, sequences: 0 };
    const fps = meanFps(perSequence.map((s) => s.fps));
    return {
      tracker: res.tracker,
      overall: { ...overall, ...(fps !== undefined ? { fps } : {}) },
      perSequence,
      perAttribute: aggregateByAttribute(perSequence, agg, attributeOrder(dataset)),
      warnings,
    };
  });
  return { kind: 'otb', dataset: dataset.name, convention, rules: [...rules.rules], trackers };
}

/** Attribute codes in the order they first appear in the dataset, so reports list them stably. */
function attributeOrder(dataset: EvalDataset): string[] {
  const seen = new Set<string>();
  for (const t of dataset.targets) for (const a of t.attributes) seen.add(a);
  return [...seen];
}
