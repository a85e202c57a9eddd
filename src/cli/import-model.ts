import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { runMain } from '../core/cli-main.ts';
import { UserError } from '../core/errors.ts';
import { withOutputDir } from '../core/out-dir.ts';
import { parseCommand } from './options.ts';

interface ImportOptions {
  tflite: string;
  out: string;
  force: boolean;
}

function parseArgs(argv: string[]): ImportOptions {
  const program = new Command('npm run import-model --')
    .description('Import SiamFC weights from TFLite flatbuffers (a file or a folder of them) into a model folder the trackers load')
    .requiredOption(
      '--tflite <path>',
      'a .tflite file or a folder of them (embedding graphs, optionally cross_correlation_*.tflite for the head)',
    )
    .requiredOption('--out <dir>', 'model folder to write (model.json + weights.bin), e.g. models/siamfc-pretrained')
    .option('--force', 'replace a model already in --out', false);
  return parseCommand<ImportOptions>(program, argv);
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv);
  // A model folder may be a committed or trained model: never replaced silently.
  if (existsSync(join(opts.out, 'model.json')) && !opts.force)
    throw new UserError(`--out: ${opts.out} already holds a model (model.json); pass --force to replace it`);
  const { importTflite } = await import('../trackers/siamfc/tflite-import.ts');
  // A folder of other files only with --force (beside them); a new one goes again if the import fails.
  const claim = {
    dir: opts.out,
    option: '--out',
    command: 'import-model',
    force: opts.force,
    hint: 'pass --force to write the model into it',
  };
  const s = await withOutputDir(claim, () => importTflite(opts.tflite, opts.out));
  const lines = [
    ...s.sources.map((src) => `  ${src.role.padEnd(9)} ${src.file}  sha256 ${src.sha256.slice(0, 16)}`),
    `  head      response = ${s.head.scale} * xcorr + ${s.head.bias}  (${s.head.from})`,
    `  embedding files agree to ${s.embeddingSpread.toFixed(2)} quantisation steps (tensors taken from the first)`,
  ];
  process.stdout.write(`imported SiamFC-3s (folded, full width) into ${s.out}\n${lines.join('\n')}\n`);
}

runMain(main);
