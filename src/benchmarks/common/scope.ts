import { UserError } from '../../core/errors.ts';

/**
 * Which of a benchmark's sequences a report covers. A report on part of a benchmark must say so
 * wherever it names the benchmark (plots, tables, LaTeX caption, console): "OTB100, 20 of 100
 * sequences", not "OTB100", which a reader takes for the whole set.
 */
export interface SequenceScope {
  /** How many sequences the whole benchmark has (the set's list, or what the root holds for a set of one's own). */
  total: number;
  /** The subset's name, when the user named one (the --sequences file). */
  name?: string;
  /** Why these sequences, when not the user's choice: 'all 3 trackers cover'. */
  note?: string;
}

/**
 * "OTB100", or "OTB100, 20 of 100 sequences", "OTB100, hard: 20 of 100 sequences", "OTB100, the
 * 73 of 100 sequences all 3 trackers cover".
 */
export function scopeLabel(dataset: string, scored: number, scope: SequenceScope | undefined): string {
  if (!scope || (scored >= scope.total && !scope.name && !scope.note)) return dataset;
  const name = scope.name ? `${scope.name}: ` : '';
  return scope.note
    ? `${dataset}, ${name}the ${scored} of ${scope.total} sequences ${scope.note}`
    : `${dataset}, ${name}${scored} of ${scope.total} sequences`;
}

/** Which sequences one tracker has results for. */
export interface Coverage {
  tracker: string;
  has(sequence: string): boolean;
}

/**
 * Trackers with results for different sequences are each averaged over their own: a ranking of
 * MUSTer on 73 sequences beside STRUCK on 100 compares different things. With `common`, only the
 * sequences every tracker covers are kept (and the returned scope says so); without it, the difference is
 * an alert that names the option.
 */
export function commonSequences<T>(
  items: readonly T[],
  nameOf: (t: T) => string,
  trackers: readonly Coverage[],
  common: boolean,
  scope: SequenceScope | undefined,
): { kept: readonly T[]; scope?: SequenceScope; alert?: string } {
  const shared = items.filter((s) => trackers.every((t) => t.has(nameOf(s))));
  if (shared.length === items.length) return { kept: items };
  const counts = trackers.map((t) => ({ tracker: t.tracker, n: items.filter((s) => t.has(nameOf(s))).length }));
  if (common) {
    if (shared.length === 0) {
      throw new UserError(
        `--common-sequences: no sequence has results of every tracker (${counts.map((c) => `${c.tracker} ${c.n}`).join(', ')} of ${items.length})`,
      );
    }
    const who = trackers.length === 1 ? `${trackers[0].tracker} covers` : `all ${trackers.length} trackers cover`;
    return { kept: shared, scope: { total: items.length, ...scope, note: who } };
  }
  if (counts.every((c) => c.n === counts[0].n && c.n === shared.length)) return { kept: items };
  const differ = counts.map((c) => `${c.tracker} ${c.n}`).join(', ');
  return {
    kept: items,
    alert: `trackers are scored on different sequences (${differ} of ${items.length}), each averaged over its own; --common-sequences scores every tracker on the ${shared.length} all of them cover`,
  };
}
