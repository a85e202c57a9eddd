import { type Ort, type OrtOptions, type OrtSession, createSession, loadOrt } from '../../compute/onnx/session.ts';
import type { FeatureMaps, SiamfcEngine } from './engine.ts';
import type { ModelWeights } from './model-weights.ts';
import { featureSize, layerChannels } from './network.ts';
import { exemplarGraph, foldedLayers, responseGraph } from './ort-graphs.ts';

/**
 * The SiamFC engine on ONNX Runtime: two sessions per model and process (worker), one embedding
 * exemplar crops and one turning search crops plus any exemplar's features into response maps.
 * Crops and features cross as ort.Tensors over the caller's arrays, without copies.
 */
export class OrtEngine implements SiamfcEngine {
  readonly name: string;
  readonly exemplarSize: number;
  readonly instanceSize: number;
  readonly responseSize: number;

  private constructor(
    private readonly ort: Ort,
    private readonly exemplarSession: OrtSession,
    private readonly responseSession: OrtSession,
    a: { exemplarSize: number; instanceSize: number },
    opts: OrtOptions,
  ) {
    this.name = `ort/${opts.device}/${opts.threads}t`;
    this.exemplarSize = a.exemplarSize;
    this.instanceSize = a.instanceSize;
    this.responseSize = featureSize(a.instanceSize) - featureSize(a.exemplarSize) + 1;
  }

  static async create(model: ModelWeights, opts: OrtOptions): Promise<OrtEngine> {
    const ort = await loadOrt();
    const a = model.json.architecture;
    const weights = { tensors: model.tensors, bnEps: a.bnEps, headScale: a.headScale, folded: a.folded === true };
    const layers = foldedLayers(weights);
    const fz = featureSize(a.exemplarSize);
    const channels = layerChannels(a.width).at(-1)!;
    const [exemplar, response] = await Promise.all([
      createSession(exemplarGraph(layers, a.exemplarSize), opts, `${model.dir}: exemplar graph`),
      createSession(responseGraph(layers, a.instanceSize, [fz, fz, channels], weights), opts, `${model.dir}: response graph`),
    ]);
    return new OrtEngine(ort, exemplar, response, a, opts);
  }

  async embedExemplar(crops: Float32Array, n: number): Promise<FeatureMaps> {
    const s = this.exemplarSize;
    const out = await this.exemplarSession.run({ crops: new this.ort.Tensor('float32', crops, [n, s, s, 3]) });
    const f = out.features;
    return { data: f.data as Float32Array, shape: f.dims as [number, number, number, number] };
  }

  async respond(exemplar: FeatureMaps, crops: Float32Array, n: number): Promise<Float32Array> {
    const s = this.instanceSize;
    const out = await this.responseSession.run({
      crops: new this.ort.Tensor('float32', crops.subarray(0, n * s * s * 3), [n, s, s, 3]),
      exemplar: new this.ort.Tensor('float32', exemplar.data, exemplar.shape),
    });
    return out.responses.data as Float32Array;
  }

  dispose(): void {
    void this.exemplarSession.release();
    void this.responseSession.release();
  }
}
