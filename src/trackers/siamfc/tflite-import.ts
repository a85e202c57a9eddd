import { createHash } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { UserError } from '../../core/errors.ts';
import { saveFoldedModel } from './model-file.ts';
import type { NetworkConfig } from './network.ts';
import { checkInput, embeddingWeights } from './tflite-embedding.ts';
import { parseTflite, tensorValues } from './tflite-file.ts';
import { type Arrays, fail, Graph } from './tflite-graph.ts';

/**
 * Imports SiamFC from TFLite flatbuffers (the SiamFC-TensorFlow port's export of the original
 * SiamFC-3s): the embedding graphs hold conv1..conv5 with batch norm folded in, int8 per output
 * channel, in OHWI; the optional cross-correlation graph holds the head's scale and bias. The
 * result is a folded model folder (model-file.ts) that both engines load.
 */

/** The original's "adjust" layer (its track_config), used when no cross-correlation graph is given; docs/trackers.md. */
const DOCUMENTED_HEAD = { scale: 0.001, bias: -2.14836 } as const;

interface Source {
  file: string;
  sha256: string;
  role: 'embedding' | 'head';
  inputs?: string;
}

export interface ImportSummary {
  out: string;
  sources: Source[];
  head: { scale: number; bias: number; from: string };
  /** Largest difference between the embedding files' dequantised tensors, in quantisation steps (0: identical). */
  embeddingSpread: number;
}

/** response = scale * xcorr + bias: the cross-correlation followed by constant MUL / ADD / SUB. */
function headOf(g: Graph): { scale: number; bias: number } {
  const conv = g.g.operators.find((op) => op.op === 'CONV_2D')!;
  const scalar = (i: number) => {
    const t = g.tensor(i);
    const v = t.data ? tensorValues(t, g.file) : undefined;
    return v && v.length === 1 ? v[0] : undefined;
  };
  let scale = 1;
  let bias = conv.inputs[2] >= 0 ? (scalar(conv.inputs[2]) ?? fail(g.file, 'cross-correlation bias is not one constant')) : 0;
  let cur = conv.outputs[0];
  for (;;) {
    const next = g.consumers(cur);
    if (next.length === 0) break;
    const op = next[0];
    if (next.length > 1 || !['MUL', 'ADD', 'SUB'].includes(op.op))
      fail(g.file, `the cross-correlation is followed by ${next.map((o) => o.op).join(', ')}, expected a constant MUL and ADD`);
    const other = op.inputs.find((i) => i !== cur)!;
    const k = scalar(other) ?? fail(g.file, `${op.op} after the cross-correlation is not by one constant`);
    if (op.op === 'MUL') [scale, bias] = [scale * k, bias * k];
    else if (op.op === 'ADD') bias += k;
    else if (op.inputs[0] === cur) bias -= k;
    else [scale, bias] = [-scale, k - bias];
    cur = op.outputs[0];
  }
  return { scale: shortestFloat32(scale), bias: shortestFloat32(bias) };
}

/** The shortest decimal that is the same float32: the head's constants as the file meant them (0.001, not 0.0010000000474974513). */
function shortestFloat32(x: number): number {
  for (let p = 1; p < 9; p++) {
    const v = Number(x.toPrecision(p));
    if (Math.fround(v) === Math.fround(x)) return v;
  }
  return x;
}

function isHead(g: Graph): boolean {
  const convs = g.g.operators.filter((op) => op.op === 'CONV_2D');
  return convs.length === 1 && !g.tensor(convs[0].inputs[1]).data;
}

async function tfliteFiles(input: string): Promise<string[]> {
  const path = resolve(input);
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch {
    throw new UserError(`--tflite: no such file or folder: ${input}`);
  }
  if (!isDir) return [path];
  const files = (await readdir(path))
    .filter((f) => f.endsWith('.tflite'))
    .sort()
    .map((f) => join(path, f));
  if (files.length === 0) throw new UserError(`--tflite: ${input} holds no .tflite file`);
  return files;
}

/**
 * How far the embedding files' dequantised tensors differ, in quantisation steps. The exemplar and
 * search graphs are exported from one network with the same int8 weights; their int32 biases
 * differ, as each graph quantises them against its own activation scales, but by at most half a
 * step of each. More than that means files of two networks, which is an error.
 */
function embeddingSpread(embeddings: { file: string; arrays: Arrays }[]): number {
  const [first, ...rest] = embeddings;
  let spread = 0;
  for (const e of rest) {
    for (const [name, a] of first.arrays) {
      const b = e.arrays.get(name)!;
      const channels = a.shape.at(-1)!;
      for (let i = 0; i < a.data.length; i++) {
        const d = Math.abs(a.data[i] - b.data[i]);
        const c = i % channels;
        const step = (a.step![c] + b.step![c]) / 2;
        spread = Math.max(spread, step > 0 ? d / step : d > 0 ? Infinity : 0);
        if (d > step + 1e-6 * Math.abs(a.data[i]))
          fail(
            e.file,
            `${name} differs from ${basename(first.file)} by more than the quantisation (${b.data[i]} vs ${a.data[i]} at ${i}): files of two different networks`,
          );
      }
    }
  }
  return spread;
}

/** Reads the TFLite files (a file or every .tflite of a folder) and writes a folded SiamFC model folder. */
export async function importTflite(input: string, out: string): Promise<ImportSummary> {
  const sources: Source[] = [];
  const embeddings: { file: string; arrays: Arrays }[] = [];
  let head: ImportSummary['head'] | undefined;
  for (const file of await tfliteFiles(input)) {
    const bytes = await readFile(file);
    const g = new Graph(parseTflite(bytes, file));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (isHead(g)) {
      if (head) fail(file, `a second cross-correlation graph (the first was ${head.from})`);
      head = { ...headOf(g), from: basename(file) };
      sources.push({ file: basename(file), sha256, role: 'head' });
    } else if (g.g.operators.some((op) => op.op === 'CONV_2D')) {
      const inputs = checkInput(g);
      embeddings.push({ file, arrays: embeddingWeights(g) });
      sources.push({ file: basename(file), sha256, role: 'embedding', inputs });
    } else {
      fail(
        file,
        `no convolution: neither a SiamFC embedding nor its cross-correlation head (operators: ${[...new Set(g.g.operators.map((o) => o.op))].join(', ')})`,
      );
    }
  }
  if (embeddings.length === 0) throw new UserError(`--tflite: ${input} holds no SiamFC embedding graph (only the cross-correlation head)`);
  const [first] = embeddings;
  const spread = embeddingSpread(embeddings);
  const h = head ?? { ...DOCUMENTED_HEAD, from: 'documented values (no cross-correlation graph given)' };
  const params: Arrays = new Map([...first.arrays].map(([name, a]) => [name, { shape: a.shape, data: a.data }]));
  params.set('head/bias', { shape: [], data: Float32Array.of(h.bias) });
  const cfg: NetworkConfig = { width: 1, exemplarSize: 127, searchSize: 255, headScale: h.scale, bnEps: 1e-6, bnMomentum: 0.05 };
  await saveFoldedModel(out, params, cfg, {
    trained: true,
    origin: 'SiamFC-3s imported from TFLite flatbuffers (batch norm folded into the convolutions)',
    sources,
    quantisation: {
      weights: 'int8, per output channel (OHWI, axis 0), zero point 0; dequantised as w = scale * q',
      biases: 'int32, per channel, scale = weight scale x input scale; dequantised as b = scale * q',
      activations: 'int8 between layers in the TFLite graph; the imported network computes in float32',
    },
    weightsFrom: basename(first.file),
    embeddingFilesAgreeTo: spread,
    head: h,
  });
  return { out: resolve(out), sources, head: h, embeddingSpread: spread };
}
