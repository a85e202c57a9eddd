import { CommanderError, type Command } from 'commander';
import { UserError } from '../core/errors.ts';
import { holdsAny, withOutputDir } from '../core/out-dir.ts';

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

/**
 * eval's report folder: new, empty, an earlier eval's, or a bench run folder (whose report eval
 * rewrites); never a folder of files siambench did not write, such as a results folder. A new
 * folder is removed again when scoring fails before writing anything.
 */
export function reportInto<T>(out: string, body: () => Promise<T>): Promise<T> {
  const claim = {
    dir: out,
    option: '--out',
    command: 'eval',
    accepts: ['bench', 'regress', 'reproduce'],
    legacy: holdsAny('summary.csv', 'run.json'),
  };
  return withOutputDir(claim, body);
}
