import { Interrupted, UserError } from './errors.ts';

/**
 * Runs a CLI entry point: user errors become one line on stderr and exit code 1, so nothing a user
 * can cause ends in a stack trace. Set SIAMBENCH_DEBUG=1 to see the stack anyway.
 */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => {},
    (err: unknown) => {
      if (err instanceof Interrupted) {
        process.stderr.write(`${err.message}\n`);
        process.exit(130);
      }
      if (err instanceof UserError && !process.env.SIAMBENCH_DEBUG) {
        process.stderr.write(`error: ${err.message}\n`);
        process.exit(1);
      }
      const e = err as NodeJS.ErrnoException;
      if (e && typeof e.code === 'string' && e.path && !process.env.SIAMBENCH_DEBUG) {
        process.stderr.write(`error: ${e.code}: ${e.path}\n`);
        process.exit(1);
      }
      process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
      process.exit(2);
    },
  );
}
