import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../../core/errors.ts';
import type { Vot2020Dataset } from '../dataset/types.ts';
import type { Vot2020Stack } from '../dataset/stacks.ts';
import { evaluateMultistart, type MultistartResult } from './multistart.ts';
import { evaluateLongterm, evaluateUnsupervised, type LongtermResult, type UnsupervisedResult } from './single-run.ts';

export interface Vot2020TrackerScores {
  tracker: string;
  baseline?: MultistartResult;
  realtime?: MultistartResult;
  unsupervised?: UnsupervisedResult;
  longterm?: LongtermResult;
  /** Experiments left unscored and why (a missing folder or run file). */
  warnings: string[];
}

export interface Vot2020Evaluation {
  dataset: string;
  stack: Vot2020Stack;
  trackers: Vot2020TrackerScores[];
  rules: string[];
}

export const VOT2020_RULES = [
  'regions compared by pixel count inside the box spanning both, clipped to the image (vot/region/raster.py); rectangle x, y, w, h each rounded half to even; a union box one pixel wide or high scores 1, a clipped box one pixel wide or high 0; ignore-region pixels skipped',
  'text masks tightened to their foreground as the toolkit reads them (a foreground only in the first column of its patch is empty)',
  'multistart: one run per anchor frame (anchor.value > 0 forward to the end, < 0 backward to frame 0); a line is bad when its overlap is <= 0.1 and its ground truth is not empty; 10 bad lines in a row fail the run at the first of them; the anchor line (code 1) scores 0 and takes part',
  'accuracy = overlaps before the failure / frames before it, pooled over runs and sequences (anchor zeros included); robustness = frames before failure / run lengths per sequence, averaged with sequence-length weights',
  'EAO curve: at length j (1..high-1) a run contributes the mean of its overlaps 1..j (0 after its failure); past the end a failed run contributes its sum / (j - 1), a run that did not fail nothing; all runs pooled; a length no run reaches is 0; EAO = mean of the curve over lengths low..high-1',
  'unsupervised accuracy: frames with unknown ground truth or an unknown (0) prediction skipped, the initialisation frame skipped (burn-in 1); sequences weighted by length',
  'long-term: thresholds from all confidences of the tracker (98 picked when more), per sequence P = mean overlap of frames with confidence >= threshold (1 when none), R = their overlap sum / frames with the target present; sequences averaged unweighted; P, R, F at the first maximum of F (F = 0 where P + R = 0)',
];

type ExperimentScore = MultistartResult | UnsupervisedResult | LongtermResult;

/**
 * Scores each tracker's folders of the stack's experiments. A tracker without an experiment's
 * folder leaves it blank; a missing or malformed run file leaves that experiment blank with a
 * warning naming the file (the toolkit refuses the whole tracker instead).
 */
export function evaluateVot2020(
  ds: Vot2020Dataset,
  stack: Vot2020Stack,
  resultsDir: string,
  trackers: readonly string[],
): Vot2020Evaluation {
  const scored = trackers.map((tracker) => {
    const t: Vot2020TrackerScores = { tracker, warnings: [] };
    for (const e of stack.experiments) {
      if (!existsSync(join(resultsDir, tracker, e.id))) continue;
      let score: ExperimentScore;
      try {
        if (e.kind === 'multistart' || e.kind === 'realtime')
          score = evaluateMultistart(ds.sequences, resultsDir, tracker, e.id, stack.eao);
        else if (e.kind === 'unsupervised') score = evaluateUnsupervised(ds.sequences, resultsDir, tracker, e.id);
        else score = evaluateLongterm(ds.sequences, resultsDir, tracker, e.id);
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        t.warnings.push(`${e.id}: not scored: ${err.message}`);
        continue;
      }
      if (e.kind === 'multistart') t.baseline = score as MultistartResult;
      else if (e.kind === 'realtime') t.realtime = score as MultistartResult;
      else if (e.kind === 'unsupervised') t.unsupervised = score as UnsupervisedResult;
      else t.longterm = score as LongtermResult;
    }
    return t;
  });
  return { dataset: ds.name, stack, trackers: scored, rules: VOT2020_RULES };
}
