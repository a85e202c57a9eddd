/**
 * The VOT2020+ stacks as the VOT toolkit (v0.8) defines them (the yaml files under `vot/stack/`): which
 * experiments run, which ground truth the dataset carries, and the EAO interval. The short-term
 * stacks of 2020, 2021 and 2022 share their experiments and EAO lengths 115..755 (the score averages
 * lengths 115..754); VOT2022-STB is the 2022 short-term stack with boxes, VOT2022-LT the long-term one.
 */
export type Vot2020ExperimentKind = 'multistart' | 'realtime' | 'unsupervised' | 'longterm';

export interface Vot2020Experiment {
  /** The folder name under results/<tracker>/ (the toolkit's experiment id). */
  id: string;
  kind: Vot2020ExperimentKind;
}

export interface Vot2020Stack {
  name: string;
  groundtruth: 'mask' | 'rectangle';
  experiments: readonly Vot2020Experiment[];
  /** Sequence lengths the EAO score averages: low..high-1. */
  eao: { low: number; high: number };
}

const SHORT_TERM: readonly Vot2020Experiment[] = [
  { id: 'baseline', kind: 'multistart' },
  { id: 'realtime', kind: 'realtime' },
  { id: 'unsupervised', kind: 'unsupervised' },
];
const EAO = { low: 115, high: 755 };

export const VOT2020_STACKS: readonly Vot2020Stack[] = [
  { name: 'VOT2020', groundtruth: 'mask', experiments: SHORT_TERM, eao: EAO },
  { name: 'VOT2021', groundtruth: 'mask', experiments: SHORT_TERM, eao: EAO },
  { name: 'VOT2022', groundtruth: 'mask', experiments: SHORT_TERM, eao: EAO },
  { name: 'VOT2022-STB', groundtruth: 'rectangle', experiments: SHORT_TERM, eao: EAO },
  { name: 'VOT2022-LT', groundtruth: 'rectangle', experiments: [{ id: 'longterm', kind: 'longterm' }], eao: EAO },
  // The built-in synthetic set in this layout: the short-term stack on exact masks.
  { name: 'synthetic-vot2020', groundtruth: 'mask', experiments: SHORT_TERM, eao: EAO },
];

export function findStack(name: string): Vot2020Stack | undefined {
  return VOT2020_STACKS.find((s) => s.name.toLowerCase() === name.toLowerCase());
}
