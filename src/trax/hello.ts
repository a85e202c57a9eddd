import type { Message } from './message.ts';
import type { RegionKind } from './region.ts';

/**
 * What a tracker announced in its hello, with the defaults the protocol page documents where it
 * announced nothing (path images, rectangles, colour): the reference client crashes on such a hello
 * (docs/trax.md 0.10), siambench goes on.
 */
export type ImageType = 'path' | 'url' | 'memory' | 'buffer';
export type Channel = 'color' | 'depth' | 'ir';

export interface Hello {
  version: number;
  name: string;
  description: string;
  family: string;
  images: Set<ImageType>;
  regions: Set<RegionKind>;
  /** In the order the client sends them: color, depth, ir. */
  channels: Channel[];
  multiobject: boolean;
  /** Keys not starting with `trax.` (e.g. `vot=python` from the VOT wrapper). */
  custom: Record<string, string>;
}

const IMAGES: ImageType[] = ['path', 'url', 'memory', 'buffer'];
const REGIONS: RegionKind[] = ['rectangle', 'polygon', 'mask'];
const CHANNELS: Channel[] = ['color', 'depth', 'ir'];

/** `a;b;` lists; an unknown token means "everything", as in the reference reader. */
function list<T extends string>(raw: string | undefined, all: readonly T[], fallback: T[]): Set<T> {
  if (raw === undefined || raw.trim() === '') return new Set(fallback);
  const tokens = raw
    .split(/[; ]/)
    .map((t) => t.trim())
    .filter(Boolean);
  if (tokens.some((t) => !all.includes(t as T))) return new Set(all);
  return new Set(tokens as T[]);
}

/** strtod then truncation; a non-number reads as 1, like the reference. */
function version(raw: string | undefined): number {
  const v = raw === undefined ? NaN : parseFloat(raw);
  return Number.isFinite(v) ? Math.trunc(v) : 1;
}

/** The hello's capabilities, or a reason the client cannot talk to this tracker. */
export function readHello(m: Message): Hello | string {
  if (m.args.length > 0) return `the hello carries ${m.args.length} positional argument(s); a hello has only named ones`;
  const p = (k: string) => m.props.get(k);
  const v = version(p('trax.version'));
  if (v > 4) return `the tracker speaks TraX version ${v}; siambench speaks versions 1 to 4`;
  const channels = v >= 2 ? list(p('trax.channels'), CHANNELS, ['color']) : new Set<Channel>(['color']);
  const custom: Record<string, string> = {};
  for (const [k, val] of m.props) if (!k.startsWith('trax.')) custom[k] = val;
  return {
    version: v,
    name: p('trax.name') ?? '',
    description: p('trax.description') ?? '',
    family: p('trax.family') ?? '',
    images: list(p('trax.image'), IMAGES, ['path']),
    regions: list(p('trax.region'), REGIONS, ['rectangle']),
    channels: CHANNELS.filter((c) => channels.has(c)),
    multiobject: v >= 4 && p('trax.multiobject') === '1',
    custom,
  };
}
