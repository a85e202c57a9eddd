import { join } from 'node:path';
import { put } from './files.ts';

/** A sequence of the VOT2020+ layout written without images (length, width and height given). */
export interface FixtureSequence {
  name: string;
  width?: number;
  height?: number;
  groundtruth: string[];
  /** One number per frame: > 0 forward anchor, < 0 backward, 0 none. */
  anchor?: number[];
  tags?: Record<string, number[]>;
}

export function writeVot2020Fixture(root: string, seqs: readonly FixtureSequence[]): void {
  put(join(root, 'list.txt'), seqs.map((s) => s.name).join('\n') + '\n');
  for (const s of seqs) {
    const dir = join(root, s.name);
    const meta = [`channels.color=color/%08d.jpg`, `format=default`, `fps=30`, `length=${s.groundtruth.length}`];
    meta.push(`width=${s.width ?? 100}`, `height=${s.height ?? 100}`, `name=${s.name}`);
    put(join(dir, 'sequence'), meta.join('\n') + '\n');
    put(join(dir, 'groundtruth.txt'), s.groundtruth.join('\n') + '\n');
    if (s.anchor) put(join(dir, 'anchor.value'), s.anchor.join('\n') + '\n');
    for (const [tag, flags] of Object.entries(s.tags ?? {})) put(join(dir, `${tag}.tag`), flags.join('\n') + '\n');
  }
}

/** Anchors at the given frames (forward unless listed as backward) for a sequence of `length` frames. */
export function anchorValues(length: number, forward: number[], backward: number[] = []): number[] {
  const v = new Array<number>(length).fill(0);
  for (const f of forward) v[f] = 1;
  for (const f of backward) v[f] = -1;
  return v;
}
