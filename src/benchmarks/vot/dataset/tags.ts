import { VOT_TAGS, type VotTag } from './types.ts';

/**
 * Fits one tag array to the sequence length. Short arrays (pysot's VOT2019.json has some) are padded
 * with 0 and long ones cut, each reported rather than fatal, since the toolkits read them that way too.
 */
export function fitTag(values: ArrayLike<number>, length: number, where: string, warnings: string[]): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < Math.min(length, values.length); i++) out[i] = values[i] ? 1 : 0;
  if (values.length < length) warnings.push(`${where}: ${values.length} of ${length} frames tagged; padded with 0`);
  if (values.length > length) warnings.push(`${where}: ${values.length} values for ${length} frames; extra values ignored`);
  return out;
}

/** Adds the derived `empty` tag: frames carrying none of the annotated tags. */
export function withEmpty(tags: Record<(typeof VOT_TAGS)[number], Uint8Array>, length: number): Record<VotTag, Uint8Array> {
  const empty = new Uint8Array(length);
  for (let i = 0; i < length; i++) empty[i] = VOT_TAGS.every((t) => tags[t][i] === 0) ? 1 : 0;
  return { ...tags, empty };
}
