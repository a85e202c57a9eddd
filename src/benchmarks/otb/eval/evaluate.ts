import type { OtbConvention } from '../../../core/types.ts';
import { type SequenceScope, scopeLabel } from '../../common/scope.ts';
import { aggregateByAttribute, aggregateScores } from '../metrics/aggregate.ts';
import { type ConventionRules, CONVENTIONS, measureFrames } from '../metrics/conventions.ts';
import type { OtbExperiment } from '../metrics/robustness.ts';
import { sequenceScores } from '../metrics/curves.ts';
import { meanFps } from '../metrics/speed.ts';
import { absentOfFrames, applyExclusions } from './exclusions.ts';
import { refusedRow } from '../metrics/pytracking-convention.ts';
import { alignSequence, flattenBoxes, type AlignResult, type AlignTarget } from './align.ts';
import { CORNER_ROW, cornerWarnings } from '../results/defects.ts';
import { measureSequence, type RunResult } from './runs.ts';
import type { OtbEvaluation, OtbScores, OtbSequenceScores, OtbTrackerEvaluation } from '../metrics/types.ts';

/** The parts of a loaded OTB dataset the evaluation reads (OtbDataset satisfies it). */
export interface EvalDataset {
  name: string;
  scope?: SequenceScope;
  targets: (AlignTarget & { attributes: string[]; absent?: Uint8Array })[];
}

/** The parts of one tracker's imported results the evaluation reads (TrackerResults satisfies it). */
export interface EvalTrackerResults {
  tracker: string;
  /** Import defects that change what the scores mean (printed on the console too). */
  alerts?: string[];
  sequences: Map<string, AlignResult & { times?: number[]; defects: string[]; runs?: RunResult[] }>;
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
 * a tracker has no result for is left out of that tracker's averages and named in its warnings; a
 * target with no frame to evaluate under the convention (initOmit covering every row) is left out
 * for every tracker and named in `alerts`.
 */
export function evaluateOtb(
  dataset: EvalDataset,
  results: EvalTrackerResults[],
  convention: OtbConvention = 'otb',
  experiment: OtbExperiment = 'ope',
): OtbEvaluation {
  const rules = CONVENTIONS[convention];
  const alerts: string[] = [];
  const targets = dataset.targets.filter((t) => {
    const rows = Math.min(t.frames.length, t.groundTruth.length);
    const from = rules.name === 'got10k' ? 0 : Math.max(0, t.initOmit);
    if (rows > from) return true;
    alerts.push(`${t.name}: no frame to evaluate (initOmit ${t.initOmit} covers all ${rows} row(s)); left out for every tracker`);
    return false;
  });
  // Flattened once per target: every tracker reads the same ground truth.
  const gtFlat = targets.map((t) => flattenBoxes(t.groundTruth));
  const order = attributeOrder(dataset);
  const trackers = results.map((res) => scoreTracker(targets, gtFlat, res, rules, order, dataset.name, experiment));
  return {
    kind: 'otb',
    dataset: dataset.name,
    label: scopeLabel(dataset.name, targets.length, dataset.scope),
    convention,
    ...(experiment === 'ope' ? {} : { experiment }),
    rules: [...rules.rules, ...EXPERIMENT_RULES[experiment]],
    trackers,
    ...(alerts.length ? { alerts } : {}),
  };
}

function scoreTracker(
  targets: EvalDataset['targets'],
  gtFlat: Float64Array[],
  res: EvalTrackerResults,
  rules: ConventionRules,
  order: string[],
  dataset: string,
  experiment: OtbExperiment,
): OtbTrackerEvaluation {
  const agg = { dropAllZeroCurves: rules.dropAllZeroCurves };
  const warnings = [...res.warnings];
  const alerts = [...(res.alerts ?? [])];
  const perSequence: OtbSequenceScores[] = [];
  const notScored: string[] = [];
  const copy = { equal: 0, frames: 0 };
  const corners: { target: string; defect: string }[] = [];
  for (const [ti, target] of targets.entries()) {
    const seq = res.sequences.get(target.name);
    if (!seq) {
      notScored.push(target.name);
      continue;
    }
    for (const d of seq.defects) {
      if (d.includes(CORNER_ROW)) corners.push({ target: target.name, defect: d });
      else warnings.push(`${target.name}: ${d}`);
    }
    const measured =
      experiment === 'ope'
        ? onePass(target, seq, rules, gtFlat[ti], dataset, { warnings, alerts, notScored, copy })
        : robustnessRuns(target, seq, rules, gtFlat[ti], experiment, warnings);
    if (!measured) continue;
    const { scores, perFrame } = measured;
    if (rules.dropAllZeroCurves) zeroCurveNotes(target.name, scores, warnings);
    const fps = seq.times && seq.times.length > 0 ? rules.sequenceFps(seq.times) : undefined;
    const extra = { ...(fps !== undefined ? { fps } : {}), ...(perFrame ? { perFrame } : {}) };
    perSequence.push({ ...scores, target: target.name, attributes: target.attributes, ...extra });
  }
  warnings.push(...cornerWarnings(corners));
  if (notScored.length > 0) {
    warnings.push(`no result for ${notScored.length} target(s), left out of the averages: ${notScored.join(', ')}`);
  }
  if (perSequence.length === 0) alerts.push('no target scored: every score of this tracker is 0');
  if (copy.frames > 0 && copy.equal >= GT_COPY_SHARE * copy.frames && perSequence.length >= 2) {
    alerts.push(
      `its boxes equal the ground truth on ${copy.equal} of ${copy.frames} frames: a copy of the annotations (an anno/ folder?), not a tracker's output`,
    );
  }
  warnings.push(...alerts);
  const overall = aggregateScores(perSequence, agg) ?? { ...EMPTY_CURVES, sequences: 0 };
  const fps = meanFps(perSequence.map((s) => s.fps));
  return {
    tracker: res.tracker,
    overall: { ...overall, ...(fps !== undefined ? { fps } : {}) },
    perSequence,
    perAttribute: aggregateByAttribute(perSequence, agg, order),
    warnings,
    ...(alerts.length ? { alerts } : {}),
  };
}

/** pytracking refuses a result with NaN or a negative size: the target is left out, with an alert. */
function refused(
  rules: ConventionRules,
  target: string,
  al: { pred: Float64Array; missing: Uint8Array },
  alerts: string[],
  notScored: string[],
): boolean {
  const row = rules.rejectInvalidResults ? refusedRow(al.pred, al.missing) : 0;
  if (row === 0) return false;
  alerts.push(`${target}: row ${row} has NaN or a negative size: pytracking refuses the file ("Invalid results"); left out`);
  notScored.push(target);
  return true;
}

const EXPERIMENT_RULES: Record<OtbExperiment, string[]> = {
  ope: [],
  tre: [
    "experiment TRE: 20 runs per sequence, run k from the k-th start of the toolkit's splitSeqTRE (frames outside initOmit with valid ground truth, at least 20 frames before the end, evenly spaced) to the end",
    "TRE scoring: each run against the ground truth from its start; a sequence's curve pools the frames of all its runs (genPerfMat: successes of all runs / frames of all runs)",
  ],
  sre: [
    "experiment SRE: 12 runs per sequence from the one-pass start, first box shifted (left, right, up, down by ceil(10%)), corner-moved (4 corners by 10%) or scaled (0.8, 0.9, 1.1, 1.2), as the toolkit's shiftInitBB",
    'SRE scoring: every run against the ground truth from the one-pass start, frame 1 replaced by the ground truth; a sequence pools the frames of its 12 runs',
  ],
};

interface Sink {
  warnings: string[];
  alerts: string[];
  notScored: string[];
  copy: { equal: number; frames: number };
}
type Measured = { scores: ReturnType<typeof sequenceScores>; perFrame?: OtbSequenceScores['perFrame'] };

function replacedNote(target: string, replaced: number, warnings: string[]): void {
  if (replaced > 0) warnings.push(`${target}: ${replaced} prediction(s) with w <= 0, h <= 0 or NaN replaced by the previous box`);
}

/** One pass: the aligned result, pytracking's refusals and the convention's exclusions (LaSOT's absent frames). */
function onePass(
  target: EvalDataset['targets'][number],
  seq: AlignResult,
  rules: ConventionRules,
  gt: Float64Array,
  dataset: string,
  sink: Sink,
): Measured | undefined {
  const al = alignSequence(target, seq, rules, gt);
  for (const d of al.defects) sink.warnings.push(`${target.name}: ${d}`);
  if (refused(rules, target.name, al, sink.alerts, sink.notScored)) return undefined;
  countEqualRows(al.gt, al.pred, sink.copy);
  const m = measureFrames(al.gt, al.pred, rules, al.missing);
  replacedNote(target.name, m.replaced, sink.warnings);
  const f = applyExclusions(m, al.gt, absentOfFrames(target.absent, target.frames, al.frames), rules, dataset);
  if (f.dropped > 0 && f.denominator === 0) sink.warnings.push(`${target.name}: every frame left out under this convention; scores 0`);
  const scores = sequenceScores(f.iou, f.centre, f.normCentre, rules.successThresholds, f.denominator);
  return { scores, perFrame: { frames: al.frames, gt: al.gt, pred: al.pred, iou: m.iou } };
}

/** TRE and SRE: every run against its own stretch of ground truth, the frames of all runs pooled. */
function robustnessRuns(
  target: EvalDataset['targets'][number],
  seq: AlignResult & { runs?: RunResult[] },
  rules: ConventionRules,
  gt: Float64Array,
  experiment: OtbExperiment,
  warnings: string[],
): Measured {
  const m = measureSequence(target, seq, rules, gt, experiment);
  for (const d of m.defects) warnings.push(`${target.name}: ${d}`);
  replacedNote(target.name, m.replaced, warnings);
  return { scores: sequenceScores(m.iou, m.centre, m.normCentre, rules.successThresholds, m.iou.length) };
}

/** Share of frames (after each sequence's first) equal to the ground truth that marks a results folder as a copy of it. */
const GT_COPY_SHARE = 0.9;

/** Frames after the first whose predicted box is the ground truth exactly (the first is the initial box anyway). */
function countEqualRows(gt: Float64Array, pred: Float64Array, acc: { equal: number; frames: number }): void {
  for (let o = 4; o + 3 < gt.length; o += 4) {
    acc.frames++;
    if (gt[o] === pred[o] && gt[o + 1] === pred[o + 1] && gt[o + 2] === pred[o + 2] && gt[o + 3] === pred[o + 3]) acc.equal++;
  }
}

/** perfPlot leaves a sequence whose curve is zero at every threshold out of that curve's mean: say so per sequence. */
function zeroCurveNotes(target: string, s: OtbScores, warnings: string[]): void {
  const zero = (c: number[]) => c.reduce((a, b) => a + b, 0) <= Number.EPSILON;
  const curves = [zero(s.successCurve) ? 'success' : '', zero(s.precisionCurve) ? 'precision' : ''].filter(Boolean);
  if (curves.length > 0) {
    warnings.push(
      `${target}: ${curves.join(' and ')} curve zero at every threshold: left out of that mean, as the toolkit's perfPlot does`,
    );
  }
}

/** Attribute codes in the order they first appear in the dataset, so reports list them stably. */
function attributeOrder(dataset: EvalDataset): string[] {
  const seen = new Set<string>();
  for (const t of dataset.targets) for (const a of t.attributes) seen.add(a);
  return [...seen];
}
