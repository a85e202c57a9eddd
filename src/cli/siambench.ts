#!/usr/bin/env node
// `siambench <command> [options]`: one command for every `npm run <command>`, run from the build in
// dist/ (npm's `prepare` compiles it) so that it starts without compiling TypeScript first. Only the
// named command's module is loaded; it reads its options from process.argv as under `npm run`.
import { setInvokedAs } from './parse.ts';

const COMMANDS: Record<string, [load: () => Promise<unknown>, about: string]> = {
  bench: [() => import('./bench.ts'), 'run trackers on a dataset and score them (synthetic by default)'],
  eval: [() => import('./eval.ts'), 'score result files on OTB or VOT under a named convention'],
  generate: [() => import('./generate.ts'), 'generate the synthetic benchmark'],
  train: [() => import('./train.ts'), 'train a SiamFC model (logistic or global similarity loss)'],
  reproduce: [() => import('./reproduce.ts'), "the paper's comparison in one command"],
  study: [() => import('./study.ts'), 'a study of the losses over seeds, with intervals'],
  figure: [() => import('./figure.ts'), 'the qualitative figure of a study'],
  regress: [() => import('./regress.ts'), 'the regression check on metrics and models'],
  slurm: [() => import('./slurm.ts'), 'submit a bench or study to a Slurm cluster'],
  'import-model': [() => import('./import-model.ts'), 'import SiamFC weights (TFLite) as a model folder'],
  download: [() => import('./download.ts'), 'download an OTB set, resumed and checksummed'],
  pack: [() => import('./pack.ts'), 'check and pack results for a test server (GOT-10k test)'],
  'trax-server': [() => import('./trax-server.ts'), 'serve a siambench tracker over TraX to another toolkit'],
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    'Usage: siambench <command> [options]',
    '',
    'Commands (siambench <command> --help for its options):',
    ...Object.entries(COMMANDS).map(([name, [, about]]) => `  ${name.padEnd(width)}  ${about}`),
    '',
  ].join('\n');
}

const [command, ...rest] = process.argv.slice(2);
if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
  process.stdout.write(usage());
  process.exit(command === undefined ? 1 : 0);
}
const entry = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
if (!entry) {
  process.stderr.write(`error: siambench: unknown command '${command}' (one of: ${Object.keys(COMMANDS).join(', ')})\n`);
  process.exit(1);
}
// The command's module parses process.argv as `node <script> [options]` would give it.
process.argv = [process.argv[0], process.argv[1], ...rest];
setInvokedAs(`siambench ${command}`);
await entry[0]();
