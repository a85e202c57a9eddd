import { readFileSync } from 'node:fs';
import { UserError } from '../../../core/errors.ts';
import { type ToolkitBox, toolkitBox } from '../../../core/types.ts';
import { checkRegular } from '../../common/read-file.ts';
import { type MatValue, readMatFile } from '../../common/matfile.ts';

/** One run of the toolkit's `results` cell: OPE has one, TRE 20 (later start frames), SRE 12 (perturbed first boxes). */
export interface ToolkitRun {
  boxes: ToolkitBox[];
  /** Image number of row 1 (`startFrame`), when recorded. */
  startFrame?: number;
  /** Image number of the annotation file's row 1 (`annoBegin`), when recorded. */
  annoBegin?: number;
  /** Frames the toolkit ran (`len`), when recorded. */
  len?: number;
  /** Frames per second the tracker reported (`fps`). */
  fps?: number;
  /** An SRE run's perturbation (`shiftType`), when recorded. */
  shiftType?: string;
}

export interface MatResult {
  runs: ToolkitRun[];
  defects: string[];
}

/**
 * An OTB toolkit result file (`<Seq>_<Tracker>.mat`, MATLAB Level 5): the variable `results`, a
 * cell (or struct array) of runs, each a struct with `res` (N x 4 for type `rect`), `type`,
 * `startFrame`, `annoBegin`, `len` and often `fps`. Results of another `type` (`4corner`, affine
 * parameters) are an error naming the type: converting them is a tracker's own geometry.
 */
export function readMatResult(file: string): MatResult {
  checkRegular(file);
  const vars = readMatFile(readFileSync(file), file, ['results']);
  const results = vars.get('results');
  if (!results) throw new UserError(`${file}: no variable 'results' (the OTB toolkit's result files hold one)`);
  const structs = runStructs(results, file);
  const defects: string[] = [];
  const runs: ToolkitRun[] = [];
  for (const [i, s] of structs.entries()) {
    // The toolkit stops at the first empty run (genPerfMat.m); later runs are not scored.
    if (!s || !s.res || numel(s.res) === 0) {
      if (i < structs.length - 1 || structs.length === 1) defects.push(`run ${i + 1} of ${structs.length} is empty: runs from there on are not scored`);
      break;
    }
    runs.push(readRun(s, i, structs.length, file));
  }
  if (runs.length === 0) throw new UserError(`${file}: 'results' holds no run with boxes`);
  return { runs, defects };
}

function runStructs(v: MatValue, file: string): (Record<string, MatValue> | undefined)[] {
  if (v.kind === 'struct') return v.items;
  if (v.kind === 'cell') {
    return v.items.map((item, i) => {
      if (item.kind === 'struct' && item.items.length === 1) return item.items[0];
      if (item.kind === 'numeric' && item.data.length === 0) return undefined;
      throw new UserError(`${file}: results{${i + 1}} is a ${describe(item)}, not a struct with 'res'`);
    });
  }
  throw new UserError(`${file}: 'results' is a ${describe(v)}, not a cell of structs`);
}

function readRun(s: Record<string, MatValue>, i: number, of: number, file: string): ToolkitRun {
  const where = of > 1 ? `${file}: results{${i + 1}}` : file;
  const type = s.type?.kind === 'char' ? s.type.text : s.transformType?.kind === 'char' ? s.transformType.text : 'rect';
  if (type !== 'rect') throw new UserError(`${where}: type '${type}' (only 'rect' x,y,w,h results are read)`);
  const res = s.res;
  if (res.kind !== 'numeric' || res.dims.length !== 2 || res.dims[1] !== 4) {
    throw new UserError(`${where}: res is ${describe(res)}, expected N x 4 boxes`);
  }
  const n = res.dims[0];
  // Column-major: column k of row r is data[k * n + r].
  const boxes = Array.from({ length: n }, (_, r) =>
    toolkitBox([res.data[r], res.data[n + r], res.data[2 * n + r], res.data[3 * n + r]]),
  );
  const run: ToolkitRun = { boxes };
  const startFrame = scalar(s.startFrame, `${where}: startFrame`, 1);
  const annoBegin = scalar(s.annoBegin, `${where}: annoBegin`, 1);
  const len = scalar(s.len, `${where}: len`, 0);
  if (startFrame !== undefined) run.startFrame = startFrame;
  if (annoBegin !== undefined) run.annoBegin = annoBegin;
  if (len !== undefined) run.len = len;
  const fps = s.fps?.kind === 'numeric' && s.fps.data.length === 1 ? s.fps.data[0] : undefined;
  if (fps !== undefined && Number.isFinite(fps) && fps > 0) run.fps = fps;
  if (s.shiftType?.kind === 'char') run.shiftType = s.shiftType.text;
  return run;
}

/** A whole-number field (an image number or a count); absent is undefined, anything else an error. */
function scalar(v: MatValue | undefined, where: string, min: number): number | undefined {
  if (v === undefined || (v.kind === 'numeric' && v.data.length === 0)) return undefined;
  if (v.kind === 'numeric' && v.data.length === 1 && Number.isSafeInteger(v.data[0]) && v.data[0] >= min) return v.data[0];
  throw new UserError(`${where}: expected a whole number >= ${min}, got ${describe(v)}`);
}

function numel(v: MatValue): number {
  return v.dims.reduce((a, d) => a * d, 1);
}

function describe(v: MatValue): string {
  const size = v.dims.join('x');
  if (v.kind === 'numeric') return v.data.length === 1 ? `the number ${v.data[0]}` : `a ${size} numeric array`;
  if (v.kind === 'other') return `a ${size} ${v.matlabClass}`;
  return `a ${size} ${v.kind}`;
}
