import { join } from 'node:path';
import { UserError } from '../../core/errors.ts';
import { readParts } from '../../core/parts.ts';
import { type ModelJson, foldedShapes, readModelJson, weightFiles } from './model-file.ts';
import { LAYERS, layerChannels } from './network.ts';

/**
 * A model folder read into plain arrays: what engines that are not TensorFlow.js (ONNX Runtime)
 * build their graphs from. Same checks as loadModel: every tensor the architecture needs, with the
 * shape its width implies, inside the weights (weights.bin or its parts).
 */
export interface WeightArray {
  shape: number[];
  data: Float32Array;
}

export interface ModelWeights {
  dir: string;
  json: ModelJson;
  tensors: Map<string, WeightArray>;
}

/** Name and tfjs-layout shape of every tensor a SiamFC model of this width holds for inference. */
export function inferenceShapes(width: number, folded = false): Map<string, number[]> {
  if (folded) return foldedShapes(width);
  const channels = layerChannels(width);
  const shapes = new Map<string, number[]>();
  let cin = 3;
  LAYERS.forEach((l, i) => {
    const cout = channels[i];
    shapes.set(`${l.name}/w`, [l.kernel, l.kernel, cin / l.groups, cout]);
    if (l.bn) for (const p of ['gamma', 'beta', 'mean', 'variance']) shapes.set(`bn${i + 1}/${p}`, [cout]);
    else shapes.set(`${l.name}/b`, [cout]);
    cin = cout;
  });
  shapes.set('head/bias', []);
  return shapes;
}

export async function readModelWeights(dir: string): Promise<ModelWeights> {
  const json = await readModelJson(dir);
  const names = weightFiles(json, dir);
  // Errors about the values name the file (or the first part, for a split model).
  const binFile = join(dir, names[0]);
  const raw = await readParts(dir, names, 'model.json');
  // Float32Array throws a RangeError on a length that is no multiple of 4: a cut file.
  if (raw.length % 4 !== 0) throw new UserError(`${binFile}: ${raw.length} bytes, not a whole number of float32 values (a cut file?)`);
  const values = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
  const list: unknown = json.weights?.tensors;
  // model.json edited by hand: a missing or malformed tensor list is a one-line error, not a TypeError.
  const okEntry = (e: unknown) => {
    const t = e as { name?: unknown; shape?: unknown; offset?: unknown } | null;
    return !!t && typeof t.name === 'string' && Array.isArray(t.shape) && Number.isSafeInteger(t.offset) && (t.offset as number) >= 0;
  };
  if (!Array.isArray(list) || !list.every(okEntry)) {
    throw new UserError(`${join(dir, 'model.json')}: weights.tensors must list {name, shape, offset} for every tensor`);
  }
  const byName = new Map(json.weights.tensors.map((e) => [e.name, e]));
  const tensors = new Map<string, WeightArray>();
  for (const [name, shape] of inferenceShapes(json.architecture.width, json.architecture.folded === true)) {
    const e = byName.get(name);
    if (!e || e.shape.join() !== shape.join()) {
      throw new UserError(
        `${join(dir, 'model.json')}: no tensor ${name} of shape [${shape}] for width ${json.architecture.width} (${LAYERS.length} conv layers${json.architecture.folded ? ', folded' : ''})`,
      );
    }
    const size = shape.reduce((a, b) => a * b, 1);
    if (e.offset + size > values.length) throw new UserError(`${binFile}: shorter than model.json says (tensor ${name})`);
    const data = values.slice(e.offset, e.offset + size);
    // A NaN or Inf weight turns every response into NaN: the tracker would fail silently on every frame.
    const bad = data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new UserError(`${binFile}: tensor ${name} holds ${data[bad]} at index ${bad} (damaged weights)`);
    tensors.set(name, { shape, data });
  }
  // Training's step counter of the moving statistics: not needed to track, kept for a faithful reload.
  const updates = byName.get('bn/updates');
  if (updates && updates.offset < values.length)
    tensors.set('bn/updates', { shape: [], data: values.slice(updates.offset, updates.offset + 1) });
  return { dir, json, tensors };
}
