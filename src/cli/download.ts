import { resolve } from 'node:path';
import { Command } from 'commander';
import { runMain } from '../core/cli-main.ts';
import { UserError } from '../core/errors.ts';
import { OTB_SETS } from '../benchmarks/otb/dataset/sets.ts';
import { parseCommand } from './parse.ts';
import { positiveInt } from './options.ts';

interface DownloadOptions {
  dataset: string;
  root: string;
  mirror?: string;
  sequences?: string[];
  retries: number;
  idleTimeout: number;
}

function parseArgs(argv: string[]): DownloadOptions {
  const program = new Command('npm run download --')
    .description('Download an OTB set: each sequence resumed, checksummed, unpacked atomically and checked by the loader')
    .requiredOption('--dataset <name>', `${Object.keys(OTB_SETS).join(' | ')}`)
    .requiredOption('--root <dir>', 'where the sequence folders go (a download resumes into the same root)')
    .option('--mirror <url>', 'base URL holding <Sequence>.zip (default: the OTB authors’ site)')
    .option('--sequences <names>', 'comma-separated sequence folders (default: the whole set)', (s) => s.split(',').filter(Boolean))
    .option('--retries <n>', 'attempts per file after a cut, a stall or a wrong checksum', (s) => Number(s), 5)
    .option('--idle-timeout <seconds>', 'drop and resume a connection silent this long', positiveInt('--idle-timeout'), 60);
  const o = parseCommand<DownloadOptions>(program, argv);
  if (!Number.isInteger(o.retries) || o.retries < 0) throw new UserError(`--retries: expected a whole number >= 0, got '${o.retries}'`);
  return o;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv);
  if (!Object.hasOwn(OTB_SETS, opts.dataset)) {
    throw new UserError(
      `--dataset: '${opts.dataset}' cannot be downloaded here (${Object.keys(OTB_SETS).join(', ')} can); docs/download.md says where to get the others`,
    );
  }
  const { downloadDataset } = await import('../benchmarks/download/index.ts');
  const root = resolve(opts.root);
  const { fetched, skipped } = await downloadDataset({
    dataset: opts.dataset,
    root,
    ...(opts.mirror ? { mirror: opts.mirror } : {}),
    ...(opts.sequences ? { sequences: opts.sequences } : {}),
    retries: opts.retries,
    idleMs: opts.idleTimeout * 1000,
    log: (line) => process.stdout.write(`${line}\n`),
  });
  process.stdout.write(`${opts.dataset}: ${fetched.length} sequence(s) fetched, ${skipped.length} already there; ready in ${root}\n`);
}

runMain(main);
