import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { type Command, CommanderError, Option } from 'commander';
import { type ComputeRequest, checkComputeRequest } from '../compute/engine.ts';
import { UserError } from '../core/errors.ts';
import { holdsAny, inspectOutputDir, markOutputDir, releaseNewOutputDir } from '../core/out-dir.ts';
import { type ReportSource, checkReportSource } from './report-source.ts';

/**
 * Parses with commander but turns its errors into UserErrors (one line, exit 1, no usage dump);
 * --help still prints and exits 0.
 */
export function parseCommand<T>(program: Command, argv: string[]): T {
  program.exitOverride().configureOutput({ writeErr: () => {} });
  try {
    program.parse(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') process.exit(0);
      throw new UserError(err.message.replace(/^error: /, ''));
    }
    throw err;
  }
  return program.opts<T & Record<string, unknown>>() as T;
}

export const SEQUENCES_HELP =
  'score (bench: run and score) only these sequences: comma-separated names, or a file of names, one a line; the report names the subset';
export const COMMON_HELP =
  'score every tracker on only the sequences all of them have results for (otherwise each is averaged over its own, and a difference is flagged)';

export function positiveInt(option: string) {
  return (raw: string): number => {
    const v = Number(raw);
    if (!Number.isInteger(v) || v < 1) throw new UserError(`${option}: expected a whole number >= 1, got '${raw}'`);
    return v;
  };
}

/**
 * --concurrency, defaulting to the machine's cores; the help says "CPU cores" rather than the number
 * so that it reads the same on every machine (docs/commands.md is generated from it).
 */
export function concurrencyOption(description: string): Option {
  return new Option('--concurrency <n>', description).argParser(positiveInt('--concurrency')).default(availableParallelism(), 'CPU cores');
}

/**
 * The engine options every command that runs a network takes (see compute/engine.ts); their values
 * are checked together by computeRequest before any work starts.
 */
export function addComputeOptions(program: Command): Command {
  return program
    .option('--engine <name>', 'ort | tfjs (default: ort when onnxruntime-node loads, else tfjs)')
    .option('--device <name>', 'ORT execution provider: cpu | cuda (cuda needs the CUDA 12 provider, see docs/trackers.md)')
    .option('--threads <n>', 'ORT intra-op threads per worker (default: CPU cores / workers)', positiveInt('--threads'))
    .option('--backend <name>', 'TensorFlow.js backend: node-gpu | node | wasm | cpu (implies --engine tfjs)');
}

export function computeRequest(o: { engine?: string; device?: string; threads?: number; backend?: string }): ComputeRequest {
  return checkComputeRequest({ engine: o.engine, device: o.device, threads: o.threads, backend: o.backend });
}

/**
 * eval's report folder: new, empty, an earlier eval's, or a bench run folder (whose report eval
 * rewrites); never a folder of files siambench did not write, such as a results folder. A folder
 * that records what its report is of takes only a report of the same dataset, root and results
 * (cli/report-source.ts); an eval folder records them. A new folder is removed again when scoring
 * fails before writing anything.
 */
export async function reportInto<T>(out: string, source: ReportSource, body: () => Promise<T>): Promise<T> {
  const claim = {
    dir: out,
    option: '--out',
    command: 'eval',
    accepts: ['bench', 'regress', 'reproduce'],
    legacy: holdsAny('summary.csv', 'run.json'),
  };
  const claimed = inspectOutputDir(claim);
  checkReportSource(claimed, source);
  // A run folder keeps its run's settings; an eval folder records what its report is of. A run
  // folder from before markers stays unmarked: marking it would make it an eval folder.
  const legacyRun = !claimed.marker && existsSync(join(claimed.dir, 'run.json'));
  const ownEval = !claimed.marker || claimed.marker.command === 'eval';
  if (!legacyRun) claimed.marker = await markOutputDir(claim, claimed, ownEval ? { ...source } : undefined);
  try {
    return await body();
  } catch (err) {
    releaseNewOutputDir(claimed);
    throw err;
  }
}
