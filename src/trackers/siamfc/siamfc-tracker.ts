import type { ImageBox } from '../../core/types.ts';
import { meanColour } from '../../images/sample.ts';
import type { Frame, Tracker, TrackerOutput } from '../base/tracker.ts';
import type { FeatureMaps, SiamfcEngine } from './engine.ts';
import { cropSquare, searchCrops } from './crops.ts';
import {
  type Target,
  boxOfTarget,
  contextSizes,
  displacementSide,
  hannWindow2d,
  peakDisplacement,
  scaleFactors,
  targetOfBox,
  updateScale,
} from './geometry.ts';
import { type CubicTaps, cubicTaps, locatePeak } from './response.ts';
import type { SiamfcSettings } from './settings.ts';

/** Milliseconds spent per stage over all updates (the init frame is not counted). */
export interface StageTimes {
  crop: number;
  network: number;
  post: number;
  frames: number;
}

// The Hann window and the resize matrix depend only on the map sizes: build them once per process.
const windows = new Map<number, Float32Array>();
const resizers = new Map<string, CubicTaps>();
function hannFor(up: number): Float32Array {
  if (!windows.has(up)) windows.set(up, hannWindow2d(up));
  return windows.get(up)!;
}
function tapsFor(r: number, up: number, kind: SiamfcSettings['responseInterpolation']): CubicTaps {
  const key = `${r}/${up}/${kind}`;
  if (!resizers.has(key)) resizers.set(key, cubicTaps(r, up, kind));
  return resizers.get(key)!;
}

function checkFrame(frame: Frame): void {
  if (frame.data.length !== frame.width * frame.height * 3) {
    throw new Error(`${frame.path}: SiamFC needs RGB pixels (${frame.width}x${frame.height}x3), got ${frame.data.length} values`);
  }
}

/** SiamFC (docs/trackers.md, docs/siamfc-tracker.md) over any engine: the exemplar is fixed at init, the search is multi-scale. */
export class SiamfcTracker implements Tracker {
  readonly times: StageTimes = { crop: 0, network: 0, post: 0, frames: 0 };
  private target: Target = { cx: 0, cy: 0, w: 0, h: 0 };
  private xSize = 0;
  private initialXSize = 0;
  private fill: number[] = [0, 0, 0];
  private exemplar: FeatureMaps | undefined;
  private readonly factors: number[];
  private readonly up: number;
  private crops: Float32Array;

  constructor(
    private readonly engine: SiamfcEngine,
    private readonly settings: SiamfcSettings,
    private readonly record: Record<string, unknown> = {},
  ) {
    this.factors = scaleFactors(settings.numScales, settings.scaleStep);
    this.up = engine.responseSize * settings.responseUp;
    this.crops = new Float32Array(settings.numScales * settings.instanceSize ** 2 * 3);
  }

  async init(frame: Frame, box: ImageBox): Promise<void> {
    checkFrame(frame);
    if (!box.every(Number.isFinite) || box[2] <= 0 || box[3] <= 0) throw new Error(`SiamFC: initial box [${box}] has no area`);
    const s = this.settings;
    this.target = targetOfBox(box);
    const { zSize, xSize } = contextSizes(this.target.w, this.target.h, s);
    this.xSize = xSize;
    this.initialXSize = xSize;
    // The frame's mean colour, taken once on the first frame as the reference trackers do.
    this.fill = meanColour(frame);
    const z = new Float32Array(s.exemplarSize ** 2 * 3);
    cropSquare(frame, this.fill, z, 0, this.target.cx, this.target.cy, zSize, s.exemplarSize, s);
    this.exemplar = await this.engine.embedExemplar(z, 1);
  }

  async update(frame: Frame): Promise<TrackerOutput> {
    if (!this.exemplar) throw new Error('SiamFC: update before init');
    checkFrame(frame);
    const s = this.settings;
    const n = s.numScales;
    const side = s.instanceSize;
    const t0 = performance.now();
    const sides = this.factors.map((f) => this.xSize * f);
    searchCrops(frame, this.fill, this.crops, this.target.cx, this.target.cy, sides, side, s);
    const t1 = performance.now();
    const responses = await this.engine.respond(this.exemplar, this.crops, n);
    const t2 = performance.now();
    const r = this.engine.responseSize;
    const peak = locatePeak(responses, n, tapsFor(r, this.up, s.responseInterpolation), hannFor(this.up), s);
    const factor = this.factors[peak.scale];
    const next = updateScale(this.target, this.xSize, factor, this.initialXSize, s);
    const { dx, dy } = peakDisplacement(
      peak.row,
      peak.col,
      this.up,
      displacementSide(this.xSize, factor, next.xSize, s.displacement),
      1,
      s,
    );
    this.target = { ...next.target, cx: this.target.cx + dx, cy: this.target.cy + dy };
    this.xSize = next.xSize;
    const t3 = performance.now();
    this.times.crop += t1 - t0;
    this.times.network += t2 - t1;
    this.times.post += t3 - t2;
    this.times.frames++;
    return { box: boxOfTarget(this.target), confidence: peak.score };
  }

  describe(): Record<string, unknown> {
    return { ...this.record, engine: this.engine.name, settings: { ...this.settings } };
  }

  dispose(): void {
    this.exemplar = undefined;
  }
}
