/**
 * The built-in synthetic benchmark: deterministic scenes of textured targets among look-alike
 * distractors, with OTB attributes true by construction, written in the OTB, VOT and GOT-10k
 * layouts. `ensureSynthetic` is the entry point; the rest is exported for tests and tools.
 */
export { ensureSynthetic, splitSettings, PRESETS, SYNTHETIC_DEFAULTS, type PresetName, type SyntheticOptions } from './cache.ts';
export { generateSplit, sequenceName, splitAttributes, splitSeed, type GenerateProgress } from './generate.ts';
export { SYNTHETIC_FPS } from './sequence.ts';
export { defaultWorkers } from './workers.ts';
export {
  MANIFEST_FILE,
  SPLIT_LAYOUTS,
  SPLITS,
  SYNTHETIC_VERSION,
  readManifest,
  syntheticLayoutDir,
  syntheticTopDir,
  type LayoutName,
  type SequenceRecord,
  type SplitManifest,
  type SplitName,
  type SplitSettings,
  type SyntheticManifest,
} from './manifest.ts';
export { ATTRIBUTES, type Attribute } from './attributes.ts';
export { VOT_TAGS, type VotTag } from './annotations.ts';
