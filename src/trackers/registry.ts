import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UserError } from '../core/errors.ts';
import { siamfcFactory } from './siamfc/factory.ts';
import { SIAMFC_3S } from './siamfc/settings.ts';
import { staticFactory } from './static.ts';
import type { TrackerFactory } from './tracker.ts';

/**
 * The trackers a benchmark can run, by name. Factories are cheap to hold: a SiamFC factory loads its
 * model on the first create() in a process and reuses it afterwards.
 */
const BUILT_IN: readonly TrackerFactory[] = [
  siamfcFactory({
    name: 'siamfc',
    description: 'SiamFC-3s baseline: models/siamfc, the balanced logistic loss (its model.json says whether it is trained)',
    model: 'siamfc',
    settings: SIAMFC_3S,
  }),
  siamfcFactory({
    name: 'siamfc-gs',
    description: 'SiamFC-3s, same network: models/siamfc-gs, the global similarity loss (its model.json says whether it is trained)',
    model: 'siamfc-gs',
    settings: SIAMFC_3S,
  }),
  staticFactory,
];

const external: TrackerFactory[] = [];
let externalLoaded: Promise<void> | undefined;

function isFactory(v: unknown): v is TrackerFactory {
  const f = v as TrackerFactory;
  return !!f && typeof f.name === 'string' && typeof f.create === 'function' && typeof f.deterministic === 'boolean' && typeof f.needsPixels === 'boolean';
}

/**
 * Trackers written outside this repository: SIAMBENCH_TRACKERS lists modules (comma-separated
 * paths, .js or .ts) whose `trackers` export is an array of TrackerFactory. Every process that
 * runs trackers (the CLI and each worker thread, which inherit the environment) loads them once.
 */
export function loadExternalTrackers(): Promise<void> {
  externalLoaded ??= (async () => {
    const list = (process.env.SIAMBENCH_TRACKERS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    for (const entry of list) {
      const path = isAbsolute(entry) ? entry : resolve(entry);
      let mod: Record<string, unknown>;
      try {
        mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
      } catch (err) {
        throw new UserError(`SIAMBENCH_TRACKERS: cannot load ${path} (${String((err as Error)?.message ?? err).split('\n')[0]})`);
      }
      const trackers = mod.trackers;
      if (!Array.isArray(trackers) || !trackers.every(isFactory)) {
        throw new UserError(`SIAMBENCH_TRACKERS: ${path} must export 'trackers', an array of { name, description, deterministic, needsPixels, create }`);
      }
      for (const f of trackers) {
        if (BUILT_IN.some((b) => b.name === f.name) || external.some((e) => e.name === f.name)) {
          throw new UserError(`SIAMBENCH_TRACKERS: ${path} registers '${f.name}', a name already taken`);
        }
        external.push(f);
      }
    }
  })();
  return externalLoaded;
}

export function trackerNames(): string[] {
  return [...BUILT_IN, ...external].map((f) => f.name);
}

/** The built-in trackers, the ones `npm run bench` runs by default. */
export function builtInTrackerNames(): string[] {
  return BUILT_IN.map((f) => f.name);
}

export function getTrackerFactory(name: string): TrackerFactory {
  const f = BUILT_IN.find((x) => x.name === name) ?? external.find((x) => x.name === name);
  if (!f) throw new UserError(`unknown tracker '${name}'; registered trackers: ${trackerNames().join(', ')}`);
  return f;
}
