import type { ToolkitBox } from '../../../core/types.ts';

/**
 * Box defects found in a result file. They are not repaired here: each convention treats them its
 * own way (see src/benchmarks/otb/metrics/conventions.ts), and the report names them so nobody is surprised.
 */
export function boxDefects(boxes: ToolkitBox[]): string[] {
  const defects: string[] = [];
  const corner = cornerFirstLine(boxes);
  if (corner) defects.push(corner);
  let bad = 0;
  let first = -1;
  for (let i = 0; i < boxes.length; i++) {
    const [x, y, w, h] = boxes[i];
    if (Number.isNaN(x) || Number.isNaN(y) || Number.isNaN(w) || Number.isNaN(h) || w <= 0 || h <= 0) {
      if (first < 0) first = i;
      bad++;
    }
  }
  if (bad > 0) {
    defects.push(
      `${bad} row(s) with NaN, w <= 0 or h <= 0 (first: row ${first + 1}, ${boxes[first].join(',')}): ` +
        'otb replaces each by the previous box, pysot and got10k score them as they are',
    );
  }
  return defects;
}

/**
 * SiamRPN's released files start with the initial box as corners x1,y1,x2,y2 (0-based) while every
 * other row is x,y,w,h. Recognised when the first row's x2-x1, y2-y1 match the second row's size
 * and its own w, h do not.
 */
function cornerFirstLine(boxes: ToolkitBox[]): string | undefined {
  if (boxes.length < 2) return undefined;
  const [a, b, c, d] = boxes[0];
  const [, , w, h] = boxes[1];
  if (!(w > 0 && h > 0 && c > a && d > b)) return undefined;
  const near = (u: number, v: number) => Math.abs(u - v) <= Math.max(2, 0.1 * v);
  if (!(near(c - a, w) && near(d - b, h)) || (near(c, w) && near(d, h))) return undefined;
  return `row 1 (${boxes[0].join(',')}) ${CORNER_ROW}: ${CORNER_RULES}`;
}

export const CORNER_ROW = 'looks like corners x1,y1,x2,y2, not x,y,w,h';
const CORNER_RULES = 'otb and got10k replace frame 1 by the ground truth, pysot scores it as written';

/**
 * The corner-row defects of a tracker's targets as warnings: one line per target when a single target
 * has it, one line for all of them when several do (SiamRPN's released files have it on every
 * sequence: 100 near-identical lines buried the other warnings).
 */
export function cornerWarnings(found: readonly { target: string; defect: string }[]): string[] {
  if (found.length <= 1) return found.map((f) => `${f.target}: ${f.defect}`);
  const first = found[0];
  const row = /^row 1 \(([^)]*)\)/.exec(first.defect)?.[1] ?? '?';
  return [
    `${found.length} targets: row 1 ${CORNER_ROW} (first: ${first.target}, ${row}): ${CORNER_RULES}; ` +
      `targets: ${found.map((f) => f.target).join(', ')}`,
  ];
}
