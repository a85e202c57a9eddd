import type { VotConvention } from '../../../core/types.ts';
import { scopeLabel } from '../../common/scope.ts';
import { VOT_TAGS_WITH_EMPTY, type VotDataset, type VotSequence, type VotTag } from '../dataset/types.ts';
import { failureRate, meanOverRuns, nanMean, reliability, runOverlaps, withBurnIn } from '../metrics/accuracy.ts';
import { describeVotRules, VOT_CONVENTIONS, type VotRules } from '../metrics/conventions.ts';
import { eaoFragments, eaoScore, expectedOverlapCurve, type EaoRunInput } from '../metrics/eao.ts';
import { eaoRange, type EaoRange } from '../metrics/eao-range.ts';
import { imageBounds, NO_BOUNDS } from '../metrics/overlap.ts';
import type { VotTrackerResults } from '../results/types.ts';
import { scoreRuns, selectRuns, taggedFrames, type ScoredRun } from './runs.ts';
import type { VotEvaluation, VotSequenceScore, VotTagScore, VotTrackerScore } from './types.ts';

interface SequenceRuns {
  seq: VotSequence;
  runs: ScoredRun[];
}

/**
 * Scores every tracker's imported VOT results on the dataset under a convention: accuracy, failures,
 * robustness, EAO (overall and per tag), and AO for unsupervised results.
 */
export function evaluateVot(ds: VotDataset, results: readonly VotTrackerResults[], convention: VotConvention): VotEvaluation {
  const rules = VOT_CONVENTIONS[convention];
  const range = eaoRange(
    ds.name,
    ds.sequences.map((s) => s.length),
  );
  const maxLen = Math.max(...ds.sequences.map((s) => s.length));
  const boundedSequences = ds.sequences.filter((s) => s.width !== undefined).length;
  const trackers = results.map((r) => scoreTracker(ds, r, rules, range, maxLen));
  const ruleText = describeVotRules(rules, range, boundedSequences > 0);
  if (boundedSequences > 0 && boundedSequences < ds.sequences.length) {
    ruleText[1] += ` (only the ${boundedSequences} of ${ds.sequences.length} sequences whose images exist)`;
  }
  const label = scopeLabel(ds.name, ds.sequences.length, ds.scope);
  return { dataset: ds.name, label, convention, range, boundedSequences, sequences: ds.sequences.length, rules: ruleText, trackers };
}

function scoreTracker(ds: VotDataset, r: VotTrackerResults, rules: VotRules, range: EaoRange, maxLen: number): VotTrackerScore {
  const warnings = [...r.defects];
  const scored: SequenceRuns[] = [];
  for (const seq of ds.sequences) {
    const runs = r.baseline.get(seq.name);
    if (!runs?.length) continue;
    const used = selectRuns(runs, rules);
    if (used.length < runs.length) {
      warnings.push(
        `baseline/${seq.name}: ${runs.length} repetitions; pysot scores only repetition ${used[0].repetition} unless there are exactly 15`,
      );
    }
    scored.push({ seq, runs: scoreRuns(seq, used, rules) });
  }
  const all = selectorScore(scored, undefined, rules, range, maxLen);
  const perSequence: VotSequenceScore[] = scored.map(({ seq, runs }) => {
    const s = selectorScore([{ seq, runs }], undefined, rules, range, maxLen, false);
    return { sequence: seq.name, runs: runs.length, accuracy: s.accuracy, failures: s.failures, frames: s.frames };
  });
  const tags = VOT_TAGS_WITH_EMPTY.map((tag) => ({ tag, ...selectorScore(scored, tag, rules, range, maxLen) }));
  const ao = averageOverlap(ds, r, rules);
  if (scored.length === 0 && r.baseline.size === 0 && ao === undefined) warnings.push('no results for any sequence');
  return {
    tracker: r.tracker,
    sequences: scored.length,
    runs: scored.reduce((n, s) => n + s.runs.length, 0),
    accuracy: all.accuracy,
    failures: all.failures,
    frames: all.frames,
    robustness: all.robustness,
    reliability: reliability(all.failures, all.frames),
    eao: all.eao,
    curve: all.curve,
    tags: tags.map(({ curve: _c, ...t }): VotTagScore => t),
    perSequence,
    ...(ao ? { ao: ao.ao, aoSequences: ao.sequences } : {}),
    warnings,
  };
}

/**
 * Accuracy / failures / EAO over the frames of a selector: every frame (tag undefined) or the frames
 * carrying `tag`. Tagged accuracy follows the legacy label selectors: the tagged frames form a shorter
 * trajectory and burn-in applies inside it.
 */
function selectorScore(
  scored: readonly SequenceRuns[],
  tag: VotTag | undefined,
  rules: VotRules,
  range: EaoRange,
  maxLen: number,
  withEao = true,
): Omit<VotTagScore, 'tag'> & { curve: Float64Array } {
  const pooled: number[] = [];
  let failures = 0,
    frames = 0;
  const eaoRuns: EaoRunInput[] = [];
  for (const { seq, runs } of scored) {
    const mask = tag ? seq.tags[tag] : undefined;
    const idx = taggedFrames(mask, seq.length);
    if (idx.length === 0) continue;
    frames += idx.length;
    const perRun = runs.map((run) => {
      const lines = idx.map((i) => run.lines[i]);
      const overlaps = idx.map((i) => (i < run.arOverlaps.length ? run.arOverlaps[i] : NaN));
      return withBurnIn(overlaps, lines, rules.burnin);
    });
    for (const v of meanOverRuns(perRun)) pooled.push(v);
    failures += runs.reduce((n, run) => n + run.failures.filter((f) => !mask || mask[f]).length, 0) / runs.length;
    if (!withEao) continue;
    const weight = rules.fragmentWeights === 'per-sequence' ? 1 / runs.length : 1;
    for (const run of runs) eaoRuns.push({ overlaps: run.eaoOverlaps, failures: run.failures, length: seq.length, weight, tag: mask });
  }
  let curve: Float64Array = new Float64Array(0);
  let eao = NaN;
  if (withEao && eaoRuns.length) {
    curve = expectedOverlapCurve(eaoFragments(eaoRuns, maxLen, { skip: rules.skip, cut: rules.cut }), maxLen);
    if (rules.float32Curve) curve = curve.map(Math.fround);
    eao = eaoScore(curve, range.low, range.high);
  }
  return { accuracy: nanMean(pooled), failures, frames, robustness: failureRate(failures, frames), eao, curve };
}

/** Unsupervised AO: per sequence, mean overlap over frames 2..N (frames without a region count 0). */
function averageOverlap(ds: VotDataset, r: VotTrackerResults, rules: VotRules): { ao: number; sequences: number } | undefined {
  const perSeq: number[] = [];
  for (const seq of ds.sequences) {
    const run = r.unsupervised.get(seq.name);
    if (!run) continue;
    const b = seq.width !== undefined ? imageBounds(seq.width, seq.height!, rules.accuracyInset) : NO_BOUNDS;
    const o = runOverlaps(run.lines, seq.groundtruth, b, rules.rasterization);
    let s = 0;
    for (let i = 1; i < o.length; i++) s += Number.isNaN(o[i]) ? 0 : o[i];
    perSeq.push(o.length > 1 ? s / (o.length - 1) : NaN);
  }
  return perSeq.length ? { ao: nanMean(perSeq), sequences: perSeq.length } : undefined;
}
