import { UserError } from '../core/errors.ts';
import { siamfcFactory } from './siamfc/factory.ts';
import { SIAMFC_3S } from './siamfc/settings.ts';
import { staticFactory } from './static.ts';
import type { TrackerFactory } from './tracker.ts';

/**
 * The trackers a benchmark can run, by name. Factories are cheap to hold: a SiamFC factory loads its
 * model on the first create() in a process and reuses it afterwards.
 */
const FACTORIES: readonly TrackerFactory[] = [
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

export function trackerNames(): string[] {
  return FACTORIES.map((f) => f.name);
}

export function getTrackerFactory(name: string): TrackerFactory {
  const f = FACTORIES.find((x) => x.name === name);
  if (!f) throw new UserError(`unknown tracker '${name}'; registered trackers: ${trackerNames().join(', ')}`);
  return f;
}
