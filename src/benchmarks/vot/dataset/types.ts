import type { SequenceScope } from '../../common/scope.ts';

/**
 * VOT dataset contract shared by the loaders, the reset protocol, result import and the metrics.
 *
 * A region is a flat array in image coordinates (0-based, continuous; see core/types.ts):
 * 4 values = rectangle x, y, w, h; 6 or more (even) = polygon x1, y1, ..., xn, yn.
 */
export type VotRegion = number[];

/** The per-frame attributes VOT annotates; `empty` is derived: frames with none of the others. */
export const VOT_TAGS = ['camera_motion', 'illum_change', 'motion_change', 'size_change', 'occlusion'] as const;
export const VOT_TAGS_WITH_EMPTY = [...VOT_TAGS, 'empty'] as const;
export type VotTag = (typeof VOT_TAGS_WITH_EMPTY)[number];

export interface VotSequence {
  name: string;
  /** Number of frames = ground-truth rows. */
  length: number;
  groundtruth: VotRegion[];
  /** Absolute image paths, one per frame, when the layout names them (they may not exist on disk). */
  frames: string[];
  /** True when the first frame's image exists (then width/height come from it). */
  hasImages: boolean;
  width?: number;
  height?: number;
  /** 0/1 per frame for every tag in VOT_TAGS_WITH_EMPTY (padded to `length`). */
  tags: Record<VotTag, Uint8Array>;
  /** key=value pairs of the `sequence` file, when there is one. */
  metadata: Record<string, string>;
}

export interface VotDataset {
  /** Name as asked for (VOT2019, synthetic-vot, ...). */
  name: string;
  root: string;
  /** 'layout' for list.txt + folders, 'pysot-json' for a pysot description file. */
  format: 'layout' | 'pysot-json';
  sequences: VotSequence[];
  /** Defects found while loading that did not stop it (short tag files, ...). */
  warnings: string[];
  /** The subset of `warnings` that changes what the scores mean (a tracker skipped), printed on the console too. */
  alerts?: string[];
  /** How many sequences the whole set has, and the subset's name: reports on part of it say so. */
  scope?: SequenceScope;
}
