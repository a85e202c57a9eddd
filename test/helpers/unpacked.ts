import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HAVE_REALDATA, REALDATA } from './realdata.ts';

/**
 * The zipped sets of ../shared/realdata, extracted once into a cache folder of the tests (never into
 * ../shared) by the unpack script that ships with them; it skips archives already extracted from the
 * same bytes, so every test file can ask for them.
 */
export const UNPACKED = process.env.SIAMBENCH_UNPACKED ?? join(tmpdir(), 'siambench-realdata-unpacked');

let done: string | false | undefined;

/** The cache folder, or a reason to skip (no ../shared, or the unpack script failed). */
export function unpackRealdata(): { dir: string } | { skip: string } {
  if (!HAVE_REALDATA) return { skip: `real data not found at ${REALDATA}` };
  if (done === undefined) {
    const script = join(REALDATA, 'unpack');
    const r = existsSync(script) ? spawnSync('python3', [script, UNPACKED], { encoding: 'utf8' }) : undefined;
    done =
      r && r.status === 0 ? UNPACKED : `could not unpack ${script}: ${r ? (r.stderr || r.error?.message || '').trim() : 'no such file'}`;
  }
  return done === UNPACKED ? { dir: UNPACKED } : { skip: String(done) };
}
