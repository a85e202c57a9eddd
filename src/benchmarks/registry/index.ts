import { UserError } from '../../core/errors.ts';
import type { OtbConvention, VotConvention } from '../../core/types.ts';
import { CONVENTIONS as OTB_RULES } from '../otb/metrics/conventions.ts';
import { VOT_CONVENTIONS as VOT_RULES } from '../vot/metrics/conventions.ts';

/**
 * Every dataset name the commands know, in one list: the CLI choices, their help texts and their
 * errors all come from here, so a name (or an alias users type, such as OTB2015) that works in one
 * command works in all of them.
 */
export type BenchmarkFamily = 'otb' | 'vot' | 'vot2020';

export interface DatasetName {
  /** The canonical spelling, used in output folders and reports. */
  name: string;
  family: BenchmarkFamily;
  /** Other names users type for the same targets. */
  aliases: readonly string[];
  /** Generated on first use by the built-in synthetic benchmark (no --root needed). */
  generated?: boolean;
  /** `npm run bench` can run trackers on it (VOT2013..2015 can only be scored from results). */
  bench: boolean;
  /** The convention of the benchmark's own toolkit, when not the family's first (LaSOT: lasot). */
  convention?: string;
}

/**
 * One-pass benchmarks scored like OTB (issue 28), scoring only: their loaders read annotations, not
 * images. Each names the convention of its own toolkit; the UAV, DTB70 and TC128 toolkits are copies
 * of the OTB toolkit, so theirs is `otb`.
 */
const EXTRA_OTB_DATASETS: readonly DatasetName[] = [
  { name: 'LaSOT', family: 'otb', aliases: ['LaSOT-test', 'LaSOT-280'], bench: false, convention: 'lasot' },
  { name: 'LaSOT-ext', family: 'otb', aliases: ['LaSOT-extension', 'LaSOT_extension_subset'], bench: false, convention: 'lasot' },
  { name: 'UAV123', family: 'otb', aliases: ['UAV'], bench: false },
  { name: 'UAV123-10fps', family: 'otb', aliases: ['UAV10fps'], bench: false },
  { name: 'UAV20L', family: 'otb', aliases: ['UAV123-20L'], bench: false },
  { name: 'UAVDT', family: 'otb', aliases: ['UAVDT-SOT', 'UAV-benchmark-S'], bench: false },
  { name: 'DTB70', family: 'otb', aliases: ['DTB'], bench: false },
  { name: 'TC128', family: 'otb', aliases: ['TColor128', 'Temple-Color-128'], bench: false },
];

export const DATASETS: readonly DatasetName[] = [
  { name: 'synthetic', family: 'otb', aliases: [], generated: true, bench: true },
  { name: 'synthetic-vot', family: 'vot', aliases: [], generated: true, bench: true },
  { name: 'synthetic-vot2020', family: 'vot2020', aliases: [], generated: true, bench: true },
  { name: 'OTB2013', family: 'otb', aliases: ['CVPR13'], bench: true },
  { name: 'OTB50', family: 'otb', aliases: ['TB50'], bench: true },
  { name: 'OTB100', family: 'otb', aliases: ['OTB2015', 'TB100'], bench: true },
  ...EXTRA_OTB_DATASETS,
  ...[2013, 2014, 2015].map((y) => ({ name: `VOT${y}`, family: 'vot' as const, aliases: [], bench: false })),
  ...[2016, 2017, 2018, 2019].map((y) => ({ name: `VOT${y}`, family: 'vot' as const, aliases: [], bench: true })),
  // VOT2020+: anchors, masks and the VOT toolkit's v0.8 analyses (src/benchmarks/vot2020/).
  ...['VOT2020', 'VOT2021', 'VOT2022', 'VOT2022-STB', 'VOT2022-LT'].map((name) => ({
    name,
    family: 'vot2020' as const,
    aliases: [],
    bench: true,
  })),
];

/** Case, dashes and underscores do not matter: otb-2015, OTB_2015 and otb2015 are one name. */
const key = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

export function findDataset(name: string): DatasetName | undefined {
  const k = key(name);
  return DATASETS.find((d) => key(d.name) === k || d.aliases.some((a) => key(a) === k));
}

export interface DatasetQuery {
  /** The option the name came from, for the error message. */
  option?: string;
  family?: BenchmarkFamily;
  /** Only the datasets `npm run bench` runs trackers on. */
  bench?: boolean;
}

function candidates(q: DatasetQuery): DatasetName[] {
  return DATASETS.filter((d) => (!q.family || d.family === q.family) && (!q.bench || d.bench));
}

/** 'synthetic | OTB2013 | OTB50 | OTB100 (also OTB2015, TB100) | ...' for help texts. */
export function datasetChoices(q: DatasetQuery = {}): string {
  return candidates(q)
    .map((d) => (d.aliases.length ? `${d.name} (also ${d.aliases.join(', ')})` : d.name))
    .join(' | ');
}

/** The dataset a user named, or a one-line error that lists what the command accepts. */
export function resolveDataset(name: string, q: DatasetQuery = {}): DatasetName {
  const option = q.option ?? '--dataset';
  const found = findDataset(name);
  if (found && candidates(q).includes(found)) return found;
  const what = found ? `${found.name} is not available here` : `unknown dataset '${name}'`;
  const aliases = candidates(q)
    .filter((d) => d.aliases.length)
    .map((d) => `${d.aliases.join(', ')} = ${d.name}`);
  throw new UserError(
    `${option}: ${what} (expected ${candidates(q)
      .map((d) => d.name)
      .join(', ')}${aliases.length ? `; ${aliases.join('; ')}` : ''})`,
  );
}

/**
 * Scoring conventions per family, named by the rule tables themselves (a convention exists when its
 * rules do); the first is the default.
 */
export const CONVENTIONS = {
  otb: Object.keys(OTB_RULES) as OtbConvention[],
  vot: Object.keys(VOT_RULES) as VotConvention[],
  // One rule set: the VOT toolkit v0.8's (rules.txt lists them).
  vot2020: ['vot-toolkit'] as const,
} as const;

export type Convention<F extends BenchmarkFamily> = F extends 'otb' ? OtbConvention : F extends 'vot' ? VotConvention : 'vot-toolkit';

/** A convention name checked against the family's rules, default when absent; one-line error otherwise. */
export function resolveConvention<F extends BenchmarkFamily>(
  family: F,
  name: string | undefined,
  option = '--convention',
  dataset?: string,
): Convention<F> {
  const names = CONVENTIONS[family] as readonly string[];
  const wanted = name ?? (dataset !== undefined ? findDataset(dataset)?.convention : undefined) ?? names[0];
  if (!names.includes(wanted))
    throw new UserError(`${option}: unknown convention '${wanted}' for ${family.toUpperCase()} (expected ${names.join(', ')})`);
  return wanted as Convention<F>;
}

/** 'otb | pysot | got10k (default otb); VOT: legacy | pysot (default legacy)' for help texts. */
export function conventionChoices(): string {
  const own = DATASETS.filter((d) => d.convention).map((d) => `${d.name} ${d.convention}`);
  return `${CONVENTIONS.otb.join(' | ')} (default: the dataset's own toolkit's, ${CONVENTIONS.otb[0]} except ${own.join(', ')}); VOT: ${CONVENTIONS.vot.join(' | ')} (default ${CONVENTIONS.vot[0]}); VOT2020+: ${CONVENTIONS.vot2020.join(' | ')}`;
}
