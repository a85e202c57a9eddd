import type { ToolkitBox } from '../../../core/types.ts';
import type { SequenceScope } from '../../common/scope.ts';

/**
 * One OTB target (a sequence folder holds one, Jogging and Skating2 hold two). Rows are the
 * ground-truth rows of the evaluated frame range (David from image 300, BlurCar1 from 247, ...).
 */
export interface OtbTarget {
  /** Canonical name, OTB toolkit spelling: Basketball, Jogging-1, Human4-2. */
  name: string;
  /** Folder the images live in (Jogging for Jogging-1). */
  sequence: string;
  /** Image number of each ground-truth row (1-based, as in 0001.jpg). */
  frames: number[];
  /** OTB boxes (1-based x, y, w, h), one per row. */
  groundTruth: ToolkitBox[];
  /** Leading rows that otb/pysot never evaluate (Tiger1: 5 when the rows start at image 1). */
  initOmit: number;
  /** Attribute codes: IV, SV, OCC, DEF, MB, FM, IPR, OPR, OV, BC, LR. */
  attributes: string[];
  /** LaSOT: 1 where the target is absent (fully occluded or out of view), one flag per row. */
  absent?: Uint8Array;
  /** Absolute image path per row, when the root holds the images (raw download layout). */
  images?: string[];
}

export interface OtbDataset {
  /** OTB2013 | OTB50 | OTB100 | synthetic | ... */
  name: string;
  /** The path the user gave (folder, JSON file or toolkit annotation folder). */
  root: string;
  targets: OtbTarget[];
  /** Defects found while loading (padded rows, odd delimiters, ...): reported, never fatal. */
  warnings: string[];
  /**
   * The subset of `warnings` that changes what the scores mean (a target left out, ground truth that
   * passes every distance threshold): eval prints these on the console as well.
   */
  alerts?: string[];
  /** How many targets the whole set has, and the subset's name: reports on part of it say so. */
  scope?: SequenceScope;
}
