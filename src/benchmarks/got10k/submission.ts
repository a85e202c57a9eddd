import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { UserError } from '../../core/errors.ts';
import { writeFileAtomic } from '../../core/fs-atomic.ts';
import { checkRegular } from '../common/read-file.ts';
import { toNumber } from '../common/numbers.ts';
import { GOT10K_TEST_FRAMES, got10kTestName } from './test-set.ts';

/** One sequence's files as the server takes them: the runs' boxes and the times. */
interface SequenceFiles {
  name: string;
  runs: { entry: string; path: string }[];
  times?: { entry: string; path: string };
}

/**
 * Checks a tracker's GOT-10k test results before they are sent: every one of the 180 sequences
 * present, in the server's layout (`<seq>/<seq>_001.txt`, more runs `_002`.., and `<seq>_time.txt`)
 * or flat (`<seq>.txt`, packed into that layout), every box file with exactly one line per frame of 4
 * finite numbers, a time file of as many finite non-negative seconds. Returns every problem found
 * (empty: ready to pack), so one pass lists them all.
 */
export function checkGot10kTest(dir: string): { files: SequenceFiles[]; problems: string[] } {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`--results: ${dir}: not a folder`);
  const problems: string[] = [];
  const files: SequenceFiles[] = [];
  const names = new Set(GOT10K_TEST_FRAMES.map((_, i) => got10kTestName(i)));
  const extra = readdirSync(dir).filter((f) => !names.has(f) && !names.has(f.replace(/(_time)?\.txt$/, '')) && !f.startsWith('.'));
  if (extra.length > 0)
    problems.push(
      `${extra.length} entr${extra.length === 1 ? 'y' : 'ies'} named after no test sequence (left out of the pack): ${extra.slice(0, 5).join(', ')}`,
    );
  GOT10K_TEST_FRAMES.forEach((n, i) => {
    const name = got10kTestName(i);
    const seq = sequenceFiles(dir, name);
    if (!seq) return void problems.push(`${name}: no result (${name}/${name}_001.txt or ${name}.txt)`);
    for (const run of seq.runs) problems.push(...checkLines(run.path, n, 4));
    if (!seq.times) problems.push(`${name}: no time file (${name}_time.txt): the server reads the speed from it`);
    else problems.push(...checkLines(seq.times.path, n, 1));
    files.push(seq);
  });
  return { files, problems };
}

function sequenceFiles(dir: string, name: string): SequenceFiles | undefined {
  const sub = join(dir, name);
  if (existsSync(sub) && statSync(sub).isDirectory()) {
    const runs = readdirSync(sub)
      .filter((f) => new RegExp(`^${name}_\\d{3}\\.txt$`).test(f))
      .sort()
      .map((f) => ({ entry: `${name}/${f}`, path: join(sub, f) }));
    const t = join(sub, `${name}_time.txt`);
    if (runs.length === 0) return undefined;
    return { name, runs, ...(existsSync(t) ? { times: { entry: `${name}/${name}_time.txt`, path: t } } : {}) };
  }
  const flat = join(dir, `${name}.txt`);
  if (!existsSync(flat)) return undefined;
  const t = [join(dir, `${name}_time.txt`), join(dir, 'times', `${name}_time.txt`)].find((p) => existsSync(p));
  return {
    name,
    runs: [{ entry: `${name}/${name}_001.txt`, path: flat }],
    ...(t ? { times: { entry: `${name}/${name}_time.txt`, path: t } } : {}),
  };
}

/** Exactly `frames` lines of `values` finite numbers (commas, tabs or spaces); problems as `file:line: ...`. */
function checkLines(path: string, frames: number, values: number): string[] {
  checkRegular(path);
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  const out: string[] = [];
  if (lines.length !== frames) out.push(`${path}: ${lines.length} line(s), the sequence has ${frames} frames`);
  const bad = lines.findIndex((l) => {
    const v = l
      .trim()
      .split(/[\s,]+/)
      .map(toNumber);
    return v.length !== values || v.some((x) => x === undefined || !Number.isFinite(x) || (values === 1 && x < 0));
  });
  if (bad >= 0)
    out.push(`${path}:${bad + 1}: '${lines[bad].slice(0, 60)}' is not ${values === 4 ? '4 finite numbers x,y,w,h' : 'a time in seconds'}`);
  return out;
}

/**
 * Packs checked results as the GOT-10k server takes them (what got10k-toolkit's report() zips for
 * the test subset): a zip whose root holds `<seq>/<seq>_NNN.txt` and `<seq>/<seq>_time.txt`. Refuses
 * to write anything while a problem remains, so no submission is spent on a format error.
 */
export async function packGot10kTest(dir: string, zipFile: string): Promise<{ sequences: number; entries: number }> {
  const { files, problems } = checkGot10kTest(dir);
  if (problems.length > 0) {
    throw new UserError(
      `${dir}: not packed, ${problems.length} problem(s): ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; ...' : ''}`,
    );
  }
  const entries: Record<string, Uint8Array> = {};
  for (const s of files) {
    for (const f of [...s.runs, s.times!]) entries[f.entry] = strToU8(readFileSync(f.path, 'utf8').replace(/\r\n/g, '\n'));
  }
  await writeFileAtomic(zipFile, Buffer.from(zipSync(entries, { level: 6 })));
  return { sequences: files.length, entries: Object.keys(entries).length };
}
