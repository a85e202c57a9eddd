import { Command } from 'commander';
import { runMain } from '../core/cli-main.ts';
import { UserError } from '../core/errors.ts';
import { parseCommand } from './options.ts';
import { benchCommand, slurmBench } from './slurm-bench.ts';
import { slurmStudy, studyCommand } from './slurm-study.ts';

/**
 * `npm run slurm -- bench|study`: writes Slurm batch scripts into the run or study folder and, with
 * --submit, submits them with their dependencies (docs/scale-out.md). Each subcommand lives in its
 * own module; this one only picks it.
 */
async function main(): Promise<void> {
  let picked: (() => Promise<void>) | undefined;
  const program = new Command('npm run slurm --')
    .description('Write Slurm batch scripts that run siambench across a cluster, and optionally submit them (docs/scale-out.md)')
    .exitOverride()
    .configureOutput({ writeErr: () => {} });
  const bench = benchCommand((opts, rest) => (picked = () => slurmBench(opts, rest)));
  const study = studyCommand((opts) => (picked = () => slurmStudy(opts)));
  program.addCommand(bench).addCommand(study);
  // docs/commands.md is made from the top-level --help: it shows the subcommands' options too.
  program.addHelpText('after', () => `\n${bench.helpInformation()}\n${study.helpInformation()}`);
  parseCommand(program, process.argv);
  if (!picked) throw new UserError('expected a command: bench or study (npm run slurm -- --help)');
  await picked();
}

runMain(main);
