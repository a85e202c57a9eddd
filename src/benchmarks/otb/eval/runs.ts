import type { ToolkitBox } from '../../../core/types.ts';
import { type ConventionRules, measureFrames } from '../metrics/conventions.ts';
import { type OtbExperiment, SRE_SHIFTS, treStarts } from '../metrics/robustness.ts';
import { alignSequence, type AlignResult, type AlignTarget } from './align.ts';

/** One run of a robustness experiment as imported: its boxes and, when recorded, its first image. */
export interface RunResult {
  boxes: ToolkitBox[];
  startFrame?: number;
}

export interface SequenceMeasures {
  iou: Float64Array;
  centre: Float64Array;
  normCentre: Float64Array;
  replaced: number;
  defects: string[];
  /** OPE only: the aligned rows (the check for a copy of the ground truth reads them). */
  aligned?: { gt: Float64Array; pred: Float64Array };
}

/**
 * Per-frame measures of one tracker on one target. OPE aligns the single result; TRE and SRE score
 * every run against its own stretch of ground truth (TRE run k from its segment's first image, SRE
 * runs all from the one-pass start) and pool the frames of all runs, as genPerfMat does: a
 * sequence's curve is the successes of all runs over the frames of all runs.
 */
export function measureSequence(
  target: AlignTarget,
  seq: AlignResult & { runs?: RunResult[] },
  rules: ConventionRules,
  gtFlat: Float64Array,
  experiment: OtbExperiment,
): SequenceMeasures {
  if (experiment === 'ope') {
    const al = alignSequence(target, seq, rules, gtFlat);
    const m = measureFrames(al.gt, al.pred, rules, al.missing);
    return { ...m, defects: al.defects, aligned: { gt: al.gt, pred: al.pred } };
  }
  const defects: string[] = [];
  const runs = seq.runs ?? [seq];
  const rows = Math.min(target.frames.length, target.groundTruth.length);
  const starts = experiment === 'tre' ? treStarts(target.name, target.frames, target.groundTruth) : [target.frames[target.initOmit]];
  // Sequences with fewer than 20 candidate starts have fewer TRE runs (splitSeqTRE's colon).
  const expected = experiment === 'tre' ? starts.length : SRE_SHIFTS.length;
  if (runs.length !== expected)
    defects.push(`${runs.length} run(s) where ${experiment.toUpperCase()} has ${expected}: the runs present are scored`);
  const parts: SequenceMeasures[] = [];
  for (const [k, run] of runs.entries()) {
    const planned = experiment === 'tre' ? starts[k] : starts[0];
    const start = run.startFrame ?? planned;
    if (planned !== undefined && run.startFrame !== undefined && run.startFrame !== planned) {
      defects.push(`run ${k + 1} starts at image ${run.startFrame}, splitSeqTRE's segment at ${planned}: scored from where it starts`);
    }
    const r0 = target.frames.indexOf(start);
    if (r0 < 0 || r0 >= rows) {
      defects.push(`run ${k + 1} starts at image ${start}, which has no ground truth: not scored`);
      continue;
    }
    const segment: AlignTarget = {
      name: target.name,
      frames: target.frames.slice(r0, rows),
      groundTruth: target.groundTruth.slice(r0, rows),
      initOmit: 0,
    };
    const al = alignSequence(segment, { boxes: run.boxes, startFrame: start }, rules, gtFlat.subarray(4 * r0, 4 * rows));
    for (const d of al.defects) defects.push(`run ${k + 1}: ${d}`);
    parts.push({ ...measureFrames(al.gt, al.pred, rules, al.missing), defects: [] });
  }
  return { ...concat(parts), defects };
}

function concat(parts: SequenceMeasures[]): Omit<SequenceMeasures, 'defects'> {
  const n = parts.reduce((a, p) => a + p.iou.length, 0);
  const out = { iou: new Float64Array(n), centre: new Float64Array(n), normCentre: new Float64Array(n), replaced: 0 };
  let at = 0;
  for (const p of parts) {
    out.iou.set(p.iou, at);
    out.centre.set(p.centre, at);
    out.normCentre.set(p.normCentre, at);
    out.replaced += p.replaced;
    at += p.iou.length;
  }
  return out;
}
