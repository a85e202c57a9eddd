import type { ImageBox } from '../core/types.ts';
import type { PairSampler } from '../benchmarks/got10k/pairs.ts';
import { decodeRgb, type RgbImage } from '../images/decode.ts';
import { type CropDraw, type CropSettings, cropAround, drawCrop, meanColour, toGray } from './crops.ts';
import { Rng } from '../core/random.ts';

/** A batch of training pairs, NHWC float32 RGB 0..255, ready for tf.tensor4d. */
export interface PairBatch {
  size: number;
  exemplars: Float32Array; // [size, exemplarSize, exemplarSize, 3]
  searches: Float32Array; // [size, searchSize, searchSize, 3]
}

interface PlannedPair {
  zPath: string;
  zBox: ImageBox;
  zDraw: CropDraw;
  xPath: string;
  xBox: ImageBox;
  xDraw: CropDraw;
  gray: boolean;
}

/**
 * Produces batches of augmented pairs. Every random choice of a batch is drawn synchronously before
 * any image is read, so a seed fixes the batches whatever order the decodes finish in; the next batch
 * is decoded and cropped (sharp decodes off the main thread) while the caller trains on this one.
 */
export class PairBatches {
  private pending: Promise<PairBatch> | null = null;
  private beforePending: number;

  constructor(
    private readonly sampler: PairSampler,
    private readonly rng: Rng,
    private readonly batchSize: number,
    private readonly crops: CropSettings,
  ) {
    this.beforePending = rng.save();
  }

  /** The next batch; starts preparing the one after it. */
  async next(): Promise<PairBatch> {
    const current = this.pending ?? this.render(this.plan());
    this.beforePending = this.rng.save();
    this.pending = this.render(this.plan());
    // Unobserved rejections of the prefetch surface when it is awaited by the following next().
    this.pending.catch(() => {});
    return current;
  }

  /**
   * Random state right after the batches handed out so far (before the prefetched one was drawn):
   * a run resumed from it draws exactly the batches the interrupted run would have.
   */
  rngState(): number {
    return this.beforePending;
  }

  private plan(): PlannedPair[] {
    const out: PlannedPair[] = [];
    for (let i = 0; i < this.batchSize; i++) {
      const { seq, z, x } = this.sampler.sample(this.rng);
      out.push({
        zPath: seq.frames[z],
        zBox: seq.boxes[z],
        zDraw: drawCrop(this.rng, this.crops),
        xPath: seq.frames[x],
        xBox: seq.boxes[x],
        xDraw: drawCrop(this.rng, this.crops),
        gray: this.rng.next() < this.crops.grayProb,
      });
    }
    return out;
  }

  private async render(plan: PlannedPair[]): Promise<PairBatch> {
    const { exemplarSize: ez, searchSize: sx } = this.crops;
    const zLen = ez * ez * 3;
    const xLen = sx * sx * 3;
    const exemplars = new Float32Array(plan.length * zLen);
    const searches = new Float32Array(plan.length * xLen);
    const frames = new Map<string, Promise<{ img: RgbImage; fill: number[] }>>();
    const load = (path: string) => {
      let p = frames.get(path);
      if (!p) {
        p = decodeRgb(path).then((img) => ({ img, fill: meanColour(img) }));
        frames.set(path, p);
      }
      return p;
    };
    await Promise.all(
      plan.map(async (pair, i) => {
        const [z, x] = await Promise.all([load(pair.zPath), load(pair.xPath)]);
        cropAround(z.img, z.fill, pair.zBox, ez, pair.zDraw, this.crops, exemplars, i * zLen);
        cropAround(x.img, x.fill, pair.xBox, sx, pair.xDraw, this.crops, searches, i * xLen);
        if (pair.gray) {
          toGray(exemplars, i * zLen, ez * ez);
          toGray(searches, i * xLen, sx * sx);
        }
      }),
    );
    return { size: plan.length, exemplars, searches };
  }
}
