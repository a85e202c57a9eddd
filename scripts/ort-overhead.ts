import { createSession, loadOrt } from '../src/compute/onnx/session.ts';
import { readModelWeights } from '../src/trackers/siamfc/model-weights.ts';
import { featureSize, layerChannels } from '../src/trackers/siamfc/network.ts';
import { OrtEngine } from '../src/trackers/siamfc/ort-engine.ts';
import { foldedLayers, responseGraph } from '../src/trackers/siamfc/ort-graphs.ts';

/**
 * The ORT engine's respond() against a bare onnxruntime-node session of the same graph on the same
 * inputs, in alternating blocks so that both see the same load on a shared machine. Only one
 * session is alive at a time: two thread pools spinning on the same cores would slow both.
 */
export async function engineOverhead(modelDir: string, threads: number, runs: number): Promise<{ bare: number; engine: number }> {
  const ort = await loadOrt();
  const m = await readModelWeights(modelDir);
  const a = m.json.architecture;
  const w = { tensors: m.tensors, bnEps: a.bnEps, headScale: a.headScale, folded: a.folded === true };
  const fz = featureSize(a.exemplarSize);
  const c = layerChannels(a.width).at(-1)!;
  const graph = responseGraph(foldedLayers(w), a.instanceSize, [fz, fz, c], w);
  const crops = new Float32Array(3 * a.instanceSize ** 2 * 3).map((_, i) => i % 251);
  const exemplar = {
    data: new Float32Array(fz * fz * c).map((_, i) => (i % 13) / 13),
    shape: [1, fz, fz, c] as [number, number, number, number],
  };
  const feeds = {
    crops: new ort.Tensor('float32', crops, [3, a.instanceSize, a.instanceSize, 3]),
    exemplar: new ort.Tensor('float32', exemplar.data, exemplar.shape),
  };
  const block = async (run: () => Promise<unknown>) => {
    for (let i = 0; i < 3; i++) await run();
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) await run();
    return (performance.now() - t0) / runs;
  };
  const rounds = 3;
  let bare = 0;
  let mine = 0;
  for (let r = 0; r < rounds; r++) {
    const session = await createSession(graph, { device: 'cpu', threads }, 'bare');
    bare += await block(() => session.run(feeds));
    await session.release();
    const engine = await OrtEngine.create(m, { device: 'cpu', threads });
    mine += await block(() => engine.respond(exemplar, crops, 3));
    engine.dispose();
  }
  return { bare: bare / rounds, engine: mine / rounds };
}
