import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { runMain } from '../core/cli-main.ts';
import { UserError } from '../core/errors.ts';
import { parseCommand } from './options.ts';

interface PackOptions {
  benchmark: 'GOT-10k-test';
  results: string;
  out?: string;
  check?: boolean;
}

/**
 * Packs one tracker's results for a benchmark's evaluation server, after checking them: a
 * submission the server rejects (a missing sequence, a short file, a NaN) costs one of the few
 * submissions allowed, so nothing is packed while a problem remains.
 */
async function main(): Promise<void> {
  const program = new Command('npm run pack --')
    .description("Check a tracker's results and pack them as the benchmark's evaluation server takes them")
    .addOption(new Option('--benchmark <name>', 'the server: GOT-10k-test').choices(['GOT-10k-test']).makeOptionMandatory())
    .requiredOption('--results <dir>', "the tracker's result folder (<seq>/<seq>_001.txt + <seq>_time.txt, or <seq>.txt with times)")
    .option('--out <file.zip>', 'the zip to write (default <results>.zip)')
    .option('--check', 'check only, write nothing');
  const opts = parseCommand<PackOptions>(program, process.argv);
  const { checkGot10kTest, packGot10kTest } = await import('../benchmarks/got10k/submission.ts');
  const dir = resolve(opts.results);
  const { files, problems } = checkGot10kTest(dir);
  for (const p of problems) process.stdout.write(`problem: ${p}\n`);
  if (problems.length > 0) throw new UserError(`${opts.results}: ${problems.length} problem(s) above; nothing packed`);
  process.stdout.write(`${opts.benchmark}: all ${files.length} sequences present, every file one line per frame, no NaN\n`);
  if (opts.check) return;
  const out = resolve(opts.out ?? `${dir.replace(/\/+$/, '')}.zip`);
  const r = await packGot10kTest(dir, out);
  process.stdout.write(`packed ${r.entries} file(s) of ${r.sequences} sequences: ${out}\n`);
}

runMain(main);
