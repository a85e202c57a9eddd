/**
 * Compares two bench run folders: the same files, byte for byte except timing columns
 * (src/runner/same-run.ts). Exit 0 when they hold the same run, else 1 with the differences.
 *   npx tsx scripts/same-run.ts <one-machine run> <sharded run>
 */
import { existsSync } from 'node:fs';
import { runDifferences } from '../src/runner/same-run.ts';

const [one, other] = process.argv.slice(2);
if (!one || !other || !existsSync(one) || !existsSync(other)) {
  process.stderr.write('usage: npx tsx scripts/same-run.ts <run folder> <run folder> (both must exist)\n');
  process.exit(1);
}
const diffs = runDifferences(one, other);
if (diffs.length > 0) {
  process.stderr.write(`${one} and ${other} differ:\n${diffs.map((d) => `  ${d}\n`).join('')}`);
  process.exit(1);
}
process.stdout.write(`same run: ${one} and ${other} are equal except timing columns\n`);
