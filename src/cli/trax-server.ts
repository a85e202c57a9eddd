import { Command } from 'commander';
import { runMain } from '../core/cli-main.ts';
import { parseCommand } from './options.ts';

/**
 * `npm run -s trax-server -- --tracker <name or model folder>`: one of siambench's trackers as a
 * TraX tracker process, for the VOT toolkit, traxclient or siambench's own client. stdout carries
 * the protocol only; everything else siambench prints goes to stderr.
 */
async function main(): Promise<void> {
  const program = new Command('npm run -s trax-server --')
    .description("Serve a registered tracker or a SiamFC model folder over TraX (stdio, or TRAX_SOCKET's port when set)")
    .requiredOption('--tracker <name>', 'a registered tracker (siamfc, siamfc-gs, static, ...) or a SiamFC model folder given as a path');
  const opts = parseCommand<{ tracker: string }>(program, process.argv);
  console.log = console.info = (...a: unknown[]) => process.stderr.write(a.join(' ') + '\n');
  const { getTrackerFactory, loadExternalTrackers, resolveTracker } = await import('../trackers/registry.ts');
  await loadExternalTrackers();
  const factory = getTrackerFactory(resolveTracker(opts.tracker));
  const { serveTracker } = await import('../trackers/trax/serve.ts');
  await serveTracker(factory);
}

runMain(main);
