import { type Command, CommanderError } from 'commander';
import { UserError } from '../core/errors.ts';

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

export function positiveInt(option: string) {
  return (raw: string): number => {
    const v = Number(raw);
    if (!Number.isInteger(v) || v < 1) throw new UserError(`${option}: expected a whole number >= 1, got '${raw}'`);
    return v;
  };
}
