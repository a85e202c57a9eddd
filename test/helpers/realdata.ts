import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The shared real annotations and results live beside the repository (../shared/realdata), never
 * inside it. A user's clone has no ../shared: tests that need it skip and say why.
 */
const here = dirname(fileURLToPath(import.meta.url));
export const REALDATA = process.env.SIAMBENCH_REALDATA ?? resolve(here, '..', '..', '..', 'shared', 'realdata');
export const HAVE_REALDATA = existsSync(join(REALDATA, 'README.md'));
export const SKIP_REALDATA: string | false = HAVE_REALDATA
  ? false
  : `real data not found at ${REALDATA} (set SIAMBENCH_REALDATA to its path)`;

if (!HAVE_REALDATA) process.stdout.write(`# skipping real-data tests: ${SKIP_REALDATA}\n`);

export function real(...parts: string[]): string {
  return join(REALDATA, ...parts);
}
