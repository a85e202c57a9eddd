import { UserError } from '../../../core/errors.ts';
import { VOT_SETS } from './sets.ts';
import type { VotDataset } from './types.ts';

const few = (names: readonly string[]) => (names.length > 5 ? `${names.slice(0, 5).join(', ')}, ...` : names.join(', '));

/** The years whose list holds every one of `names` (other than `except`). */
function yearsHolding(names: readonly string[], except: string): string[] {
  return Object.entries(VOT_SETS)
    .filter(([year, list]) => year !== except && names.every((n) => list.includes(n)))
    .map(([year]) => year);
}

/**
 * Checks a VOT root against the year it is scored as, as OTB roots are checked against their set:
 * the year's sequences the root lacks are left out and named (the report then says it scored a
 * subset); sequences of another year are an error when the root is that year's data (scoring it
 * as this year would apply this year's EAO interval to it and label it so), else left out and named.
 * `scope.total` is set to the year's size. Names without a list (VOT2013, VOT2014, a set of one's
 * own) are taken as they are.
 */
export function checkVotYear(ds: VotDataset, given: string): VotDataset {
  const wanted = VOT_SETS[ds.name];
  if (!wanted) return { ...ds, scope: { total: ds.sequences.length } };
  const names = ds.sequences.map((s) => s.name);
  const foreign = names.filter((n) => !wanted.includes(n));
  const kept = ds.sequences.filter((s) => wanted.includes(s.name));
  const other = foreign.length > 0 ? yearsHolding(names, ds.name) : [];
  if (kept.length === 0 || other.length > 0) {
    const whose = other.length > 0 ? `; they are ${other.join(', ')} sequences: --dataset ${other.at(-1)}?` : '';
    const what =
      kept.length === 0
        ? `holds none of the ${wanted.length} ${ds.name} sequences (it holds ${few(names)})`
        : `holds ${foreign.length} sequence(s) that are not in ${ds.name} (${few(foreign)})`;
    throw new UserError(`--root: ${given} ${what}${whose}`);
  }
  const warnings = [...ds.warnings];
  const alerts = [...(ds.alerts ?? [])];
  if (foreign.length > 0) {
    const text = `${foreign.length} sequence(s) in ${given} are not ${ds.name} sequences, left out: ${foreign.join(', ')}`;
    warnings.push(text);
    alerts.push(text);
  }
  const missing = wanted.filter((n) => !names.includes(n));
  if (missing.length > 0) {
    warnings.push(`${missing.length} of ${wanted.length} ${ds.name} sequence(s) not in ${given}, left out: ${missing.join(', ')}`);
  }
  return { ...ds, sequences: kept, warnings, ...(alerts.length ? { alerts } : {}), scope: { total: wanted.length } };
}
