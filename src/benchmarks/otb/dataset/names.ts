import { TARGETS } from './sets.ts';

/**
 * Target names differ between toolkits: Jogging-1 (OTB, pysot) = Jogging.1 (got10k) = Jogging_1
 * (pytracking) = jogging_1 = Jogging1, and got10k calls Human4-2 plain Human4 (its first target has
 * no annotation). Comparing case-insensitively with separators removed makes them one key.
 */
export function nameKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Keys that name a target under another spelling: got10k's `Human4` is Human4-2. */
const ALIASES: Record<string, string> = { human4: 'human42' };

/**
 * A resolver over a list of canonical names: returns the canonical name a spelling refers to, or
 * undefined. Built once per list, so resolving is a map lookup.
 */
export function nameResolver(canonical: readonly string[]): (name: string) => string | undefined {
  const byKey = new Map<string, string | null>();
  const byLower = new Map<string, string>();
  for (const c of canonical) {
    // UAV123 has car1_1 and car11: a key two names share resolves neither, only their own spellings.
    const k = nameKey(c);
    byKey.set(k, byKey.has(k) && byKey.get(k) !== c ? null : c);
    byLower.set(c.toLowerCase(), c);
  }
  return (name: string) => {
    const exact = byLower.get(name.toLowerCase());
    if (exact !== undefined) return exact;
    const k = nameKey(name);
    return byKey.get(k) ?? (ALIASES[k] !== undefined ? (byKey.get(ALIASES[k]) ?? undefined) : undefined);
  };
}

const ALL_OTB = nameResolver(TARGETS.map((t) => t.name));

/** The canonical TB-100 name for any spelling of an OTB target, or undefined. */
export function resolveOtbName(name: string): string | undefined {
  return ALL_OTB(name);
}
