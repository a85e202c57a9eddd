import { CommanderError, type Command } from 'commander';
import { UserError } from '../core/errors.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { holdsAny, inspectOutputDir, markOutputDir, releaseNewOutputDir } from '../core/out-dir.ts';
import { type ReportSource, checkReportSource } from './report-source.ts';

/** How the user typed the command, when it was not `npm run <command> --` (the `siambench` command sets it). */
let invokedAs: string | undefined;
export function setInvokedAs(name: string): void {
  invokedAs = name;
}

/**
 * Parses with commander but turns its errors into UserErrors (one line, exit 1, no usage dump);
 * --help still prints and exits 0.
 */
export function parseCommand<T>(program: Command, argv: string[]): T {
  if (invokedAs) program.name(invokedAs);
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
