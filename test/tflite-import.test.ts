import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '../src/compute/backend.ts';
import { decodeRgb } from '../src/images/decode.ts';
import { meanColour, samplePatch } from '../src/images/sample.ts';
import type { SiamfcEngine } from '../src/trackers/siamfc/engine.ts';
import { modelsRoot } from '../src/trackers/siamfc/factory.ts';
import { saveFoldedModel } from '../src/trackers/siamfc/model-file.ts';
import { loadModel } from '../src/trackers/siamfc/model-load.ts';
import { readModelWeights } from '../src/trackers/siamfc/model-weights.ts';
import { LAYERS } from '../src/trackers/siamfc/network.ts';
import { OrtEngine } from '../src/trackers/siamfc/ort-engine.ts';
import { TfjsEngine } from '../src/trackers/siamfc/tfjs-engine.ts';
import { importTflite } from '../src/trackers/siamfc/tflite-import.ts';
import { assertOneLineError, runCli } from './helpers/cli.ts';
import { real, SKIP_REALDATA } from './helpers/realdata.ts';
import { type GraphSpec, type OpSpec, type TensorSpec, buildTflite, bytesOf } from './helpers/tflite-builder.ts';

/**
 * The TFLite importer on flatbuffers written here with known int8 values and scales (every
 * expected weight is computed from the formulas below, not read back through the importer), its
 * one-line errors for files that are not SiamFC, and on the shared original SiamFC-3s files.
 */
await selectBackend('wasm');

let tmp = '';
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'tflite-import-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

// Hand-chosen quantised values: layer L (0..4), group g, output channel o, kernel y, x, input i.
const q = (L: number, g: number, o: number, y: number, x: number, i: number, shift = 0) =>
  ((o * 31 + y * 17 + x * 13 + i * 7 + g * 5 + L * 3 + shift) % 251) - 125;
const wScale = (L: number, g: number, o: number) => 1e-3 * (1 + (o % 7)) * (L + 1) * (g + 1);
const qBias = (L: number, g: number, o: number) => ((o * 37 + g * 11 + L) % 2001) - 1000;
/** Scale of each layer's input activations (conv1 reads raw pixels: 1). */
const inScale = (L: number) => (L === 0 ? 1 : 0.05 * (L + 1));

interface Variant {
  kernel1?: number;
  layers?: number;
  noBias?: number;
  noData?: number;
  inputScale?: number;
  shift?: number;
}

/** SiamFC's AlexNet as the SiamFC-TensorFlow export lays it out: QUANTIZE, convs, pools, SPLIT / CONCATENATION groups. */
function siamfcGraph(v: Variant = {}): GraphSpec {
  const tensors: TensorSpec[] = [];
  const ops: OpSpec[] = [];
  const add = (t: TensorSpec) => tensors.push(t) - 1;
  const act = (name: string, shape: number[], scale: number) => add({ name, shape, type: 'int8', scale: [scale], zeroPoint: [-128] });
  const input = add({ name: 'image', shape: [1, 127, 127, 3], type: 'uint8', scale: [v.inputScale ?? 1], zeroPoint: [0] });
  let h = act('image_int8', [1, 127, 127, 3], 1);
  ops.push({ op: 'QUANTIZE', inputs: [input], outputs: [h] });
  const conv = (L: number, g: number, x: number, cout: number, k: number, cin: number, stride: number, relu: boolean) => {
    const data = new Int8Array(cout * k * k * cin);
    for (let o = 0; o < cout; o++)
      for (let y = 0; y < k; y++)
        for (let xx = 0; xx < k; xx++) for (let i = 0; i < cin; i++) data[((o * k + y) * k + xx) * cin + i] = q(L, g, o, y, xx, i, v.shift);
    const scales = Array.from({ length: cout }, (_, o) => wScale(L, g, o));
    const w = add({
      name: `conv${L + 1}/b${g}/weights`,
      shape: [cout, k, k, cin],
      type: 'int8',
      data: v.noData === L ? undefined : new Uint8Array(data.buffer),
      scale: scales,
    });
    const b = add({
      name: `conv${L + 1}/b${g}/bias`,
      shape: [cout],
      type: 'int32',
      data: bytesOf(
        'int32',
        Array.from({ length: cout }, (_, o) => qBias(L, g, o)),
      ),
      scale: scales.map((s) => s * inScale(L)),
    });
    const out = act(`conv${L + 1}/b${g}/out`, [1, 1, 1, cout], inScale(L + 1));
    ops.push({ op: 'CONV_2D', inputs: v.noBias === L ? [x, w] : [x, w, b], outputs: [out], options: { kind: 'conv', stride, relu } });
    return out;
  };
  const pool = (x: number, next: number) => {
    const out = act('pool', [1, 1, 1, 1], inScale(next));
    ops.push({ op: 'MAX_POOL_2D', inputs: [x], outputs: [out], options: { kind: 'pool', size: 3, stride: 2 } });
    return out;
  };
  const grouped = (L: number, x: number, cout: number, k: number, cin: number, relu: boolean) => {
    const dim = add({ name: 'split_dim', shape: [], type: 'int32', data: bytesOf('int32', [3]) });
    const parts = [act('split', [1], inScale(L)), act('split:1', [1], inScale(L))];
    ops.push({ op: 'SPLIT', inputs: [dim, x], outputs: parts, options: { kind: 'split', n: 2 } });
    const outs = parts.map((p, g) => conv(L, g, p, cout / 2, k, cin / 2, 1, relu));
    // The first group is requantised before the concatenation, as in the real export.
    const requant = act('requantised', [1], 1);
    ops.push({ op: 'QUANTIZE', inputs: [outs[0]], outputs: [requant] });
    const out = act('concat', [1], 1);
    ops.push({ op: 'CONCATENATION', inputs: [requant, outs[1]], outputs: [out], options: { kind: 'concat', axis: 3 } });
    return out;
  };
  const layers = v.layers ?? 5;
  h = pool(conv(0, 0, h, 96, v.kernel1 ?? 11, 3, 2, true), 1);
  if (layers > 1) h = pool(grouped(1, h, 256, 5, 96, true), 2);
  if (layers > 2) h = conv(2, 0, h, 384, 3, 256, 1, true);
  if (layers > 3) h = grouped(3, h, 384, 3, 384, true);
  if (layers > 4) h = grouped(4, h, 256, 3, 384, false);
  return { tensors, ops, inputs: [input], outputs: [h] };
}

/** The cross-correlation graph: response = mul * (xcorr + convBias) + add. */
function headGraph(convBias: number, mul: number, addend: number): GraphSpec {
  const f = (name: string, shape: number[], data?: number[]): TensorSpec => ({
    name,
    shape,
    type: 'float32',
    data: data && bytesOf('float32', data),
  });
  const tensors = [
    f('x', [3, 22, 22, 256]),
    f('z', [1, 6, 6, 256]),
    f('bias', [1], [convBias]),
    f('xcorr', [3, 17, 17, 1]),
    f('mul/x', [], [mul]),
    f('mul', [3, 17, 17, 1]),
    f('biases', [1], [addend]),
    f('add', [3, 17, 17, 1]),
  ];
  return {
    tensors,
    inputs: [0, 1],
    outputs: [7],
    ops: [
      { op: 'CONV_2D', inputs: [0, 1, 2], outputs: [3], options: { kind: 'conv', stride: 1, relu: false } },
      { op: 'MUL', inputs: [4, 3], outputs: [5] },
      { op: 'ADD', inputs: [5, 6], outputs: [7] },
    ],
  };
}

function write(dir: string, name: string, bytes: Uint8Array): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), bytes);
  return join(dir, name);
}

const LAYOUT = [
  { cout: 96, k: 11, cin: 3, groups: 1 },
  { cout: 256, k: 5, cin: 48, groups: 2 },
  { cout: 384, k: 3, cin: 256, groups: 1 },
  { cout: 384, k: 3, cin: 192, groups: 2 },
  { cout: 256, k: 3, cin: 192, groups: 2 },
];

test('int8 kernels and int32 biases are dequantised per output channel, groups side by side, into the tfjs layout; the head comes from the cross-correlation graph', async () => {
  const embedding = buildTflite(siamfcGraph());
  const head = buildTflite(headGraph(0.5, 0.002, -1.5));
  const src = join(tmp, 'src');
  write(src, 'template.tflite', embedding);
  write(src, 'cross_correlation.tflite', head);
  const out = join(tmp, 'imported');
  const r = runCli('import-model', ['--tflite', src, '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /response = 0\.002\d* \* xcorr \+ -1\.499/);

  const m = await readModelWeights(out);
  assert.equal(m.json.architecture.folded, true);
  assert.equal(m.json.trained, true);
  assert.ok(Math.abs(m.json.architecture.headScale - 0.002) < 1e-9);
  assert.ok(Math.abs(m.tensors.get('head/bias')!.data[0] - (0.002 * 0.5 - 1.5)) < 1e-6);
  LAYOUT.forEach(({ cout, k, cin, groups }, L) => {
    const w = m.tensors.get(`conv${L + 1}/w`)!;
    const b = m.tensors.get(`conv${L + 1}/b`)!;
    assert.deepEqual(w.shape, [k, k, cin, cout]);
    const per = cout / groups;
    // Every 97th value of the kernel, against the formula (float32 rounding allowed).
    for (let idx = 0; idx < w.data.length; idx += 97) {
      const oc = idx % cout;
      const i = Math.floor(idx / cout) % cin;
      const x = Math.floor(idx / (cout * cin)) % k;
      const y = Math.floor(idx / (cout * cin * k));
      const g = Math.floor(oc / per);
      const want = wScale(L, g, oc % per) * q(L, g, oc % per, y, x, i);
      assert.ok(
        Math.abs(w.data[idx] - want) <= 1e-6 * Math.abs(want) + 1e-12,
        `conv${L + 1} [${y},${x},${i},${oc}]: ${w.data[idx]} vs ${want}`,
      );
    }
    for (let oc = 0; oc < cout; oc++) {
      const g = Math.floor(oc / per);
      const want = wScale(L, g, oc % per) * inScale(L) * qBias(L, g, oc % per);
      assert.ok(Math.abs(b.data[oc] - want) <= 1e-6 * Math.abs(want) + 1e-12, `conv${L + 1} bias ${oc}: ${b.data[oc]} vs ${want}`);
    }
  });
  const sources = m.json.meta.sources as { file: string; sha256: string; role: string }[];
  assert.deepEqual(
    sources.map((s) => [s.file, s.role, s.sha256]),
    [
      ['cross_correlation.tflite', 'head', createHash('sha256').update(head).digest('hex')],
      ['template.tflite', 'embedding', createHash('sha256').update(embedding).digest('hex')],
    ],
  );
  // The tfjs engine's loader accepts the folded model too.
  const loaded = await loadModel(out);
  assert.deepEqual([...loaded.params.keys()].sort(), [...m.tensors.keys()].sort());
  loaded.dispose();
});

test('without a cross-correlation graph the head takes the documented 0.001 and -2.14836; a second copy of the same network is accepted', async () => {
  const src = join(tmp, 'nohead');
  write(src, 'a.tflite', buildTflite(siamfcGraph()));
  write(src, 'b.tflite', buildTflite(siamfcGraph()));
  const s = await importTflite(src, join(tmp, 'nohead-model'));
  assert.deepEqual([s.head.scale, s.head.bias], [0.001, -2.14836]);
  assert.equal(s.embeddingSpread, 0);
  const m = await readModelWeights(join(tmp, 'nohead-model'));
  assert.ok(Math.abs(m.tensors.get('head/bias')!.data[0] + 2.14836) < 1e-6);
});

test('input that is not SiamFC in TFLite is a one-line error naming the file and what is wrong', () => {
  const bad = join(tmp, 'bad');
  const good = buildTflite(siamfcGraph());
  const cases: [string, Uint8Array, RegExp][] = [
    [
      'text.tflite',
      new TextEncoder().encode('{"format": "siambench-siamfc-1"}\n'),
      /text\.tflite: not a TFLite flatbuffer \(no TFL3 identifier/,
    ],
    ['cut.tflite', good.slice(0, 4000), /cut\.tflite: damaged TFLite flatbuffer \(offset/],
    [
      'kernel7.tflite',
      buildTflite(siamfcGraph({ kernel1: 7 })),
      /kernel7\.tflite: conv1: kernel \[96,7,7,3\].*expected 11x11.*another architecture/,
    ],
    [
      'four.tflite',
      buildTflite(siamfcGraph({ layers: 4 })),
      /four\.tflite: 4 convolution layers, expected SiamFC's 5 .*another architecture/,
    ],
    ['nobias.tflite', buildTflite(siamfcGraph({ noBias: 2 })), /nobias\.tflite: conv3: convolution has no bias tensor/],
    [
      'nodata.tflite',
      buildTflite(siamfcGraph({ noData: 3 })),
      /nodata\.tflite: conv4: kernel 'conv4\/b0\/weights' is not a constant \(missing weights\)/,
    ],
    [
      'scaled.tflite',
      buildTflite(siamfcGraph({ inputScale: 1 / 255 })),
      /scaled\.tflite: input 'image' is quantised with scale 0\.0039\d+ and zero point 0; the engines feed raw 0\.\.255 pixels/,
    ],
  ];
  for (const [name, bytes, pattern] of cases) {
    const file = write(bad, name, bytes);
    assertOneLineError(runCli('import-model', ['--tflite', file, '--out', join(tmp, `out-${name}`)]), pattern);
  }
  const two = join(tmp, 'two');
  write(two, 'a.tflite', good);
  write(two, 'b.tflite', buildTflite(siamfcGraph({ shift: 1 })));
  assertOneLineError(
    runCli('import-model', ['--tflite', two, '--out', join(tmp, 'out-two')]),
    /b\.tflite: conv1\/w differs from a\.tflite by more than the quantisation .*two different networks/,
  );
  mkdirSync(join(tmp, 'empty'));
  assertOneLineError(
    runCli('import-model', ['--tflite', join(tmp, 'empty'), '--out', join(tmp, 'out-empty')]),
    /--tflite: .*empty holds no \.tflite file/,
  );
  assertOneLineError(
    runCli('import-model', ['--tflite', join(tmp, 'nowhere.tflite'), '--out', join(tmp, 'out-x')]),
    /--tflite: no such file or folder: .*nowhere\.tflite/,
  );
  // An existing model is never replaced without --force.
  write(join(tmp, 'taken'), 'model.json', new TextEncoder().encode('{}'));
  assertOneLineError(
    runCli('import-model', ['--tflite', join(bad, 'kernel7.tflite'), '--out', join(tmp, 'taken')]),
    /--out: .*taken already holds a model \(model\.json\); pass --force/,
  );
});

test(
  "the original SiamFC-3s files: five folded layers, the head 0.001 / -2.14836 from cross_correlation_scale3, provenance with each file's sha256",
  { skip: SKIP_REALDATA },
  async () => {
    const dir = real('weights', 'siamfc-3s-color-int8-tflite');
    const out = join(tmp, 'original');
    const s = await importTflite(dir, out);
    assert.ok(Math.abs(s.head.scale - 0.001) < 1e-9 && Math.abs(s.head.bias + 2.14836) < 1e-5, `${s.head.scale} ${s.head.bias}`);
    assert.equal(s.head.from, 'cross_correlation_scale3.tflite');
    // The three embedding graphs share their int8 kernels; biases differ by under a quantisation step.
    assert.ok(s.embeddingSpread > 0 && s.embeddingSpread <= 1, String(s.embeddingSpread));
    const m = await readModelWeights(out);
    for (const src of m.json.meta.sources as { file: string; sha256: string }[]) {
      assert.equal(
        src.sha256,
        createHash('sha256')
          .update(readFileSync(join(dir, src.file)))
          .digest('hex'),
        src.file,
      );
    }
    assert.equal((m.json.meta.sources as unknown[]).length, 4);
    assert.deepEqual(m.tensors.get('conv2/w')!.shape, [5, 5, 48, 256]);

    // Both engines serve the full-width folded network alike on a real frame (Crossing's first
    // target as exemplar, three scales around it), and its response peaks at the target.
    const img = await decodeRgb(real('frames', 'otb', 'Crossing', 'img', '0001.jpg'));
    const fill = meanColour(img);
    const [x0, y0, w0, h0] = readFileSync(real('frames', 'otb', 'Crossing', 'groundtruth_rect.txt'), 'utf8')
      .split('\n')[0]
      .split(/[\s,]+/)
      .map(Number);
    // Target centre in pixel-index coordinates (OTB boxes are 1-based; pixel i's centre is at i).
    const [cx, cy] = [x0 - 1 + (w0 - 1) / 2, y0 - 1 + (h0 - 1) / 2];
    const crop = (out: Float32Array, offset: number, size: number, step: number) =>
      samplePatch(img, fill, out, offset, size, cx - ((size - 1) / 2) * step, cy - ((size - 1) / 2) * step, step);
    const p = (w0 + h0) / 2;
    const sz = Math.sqrt((w0 + p) * (h0 + p));
    const z = new Float32Array(127 * 127 * 3);
    crop(z, 0, 127, sz / 127);
    const x = new Float32Array(3 * 255 * 255 * 3);
    for (let k = 0; k < 3; k++) crop(x, k * 255 * 255 * 3, 255, (sz / 127) * 1.0375 ** (k - 1));
    const engines: SiamfcEngine[] = [new TfjsEngine(await loadModel(out)), await OrtEngine.create(m, { device: 'cpu', threads: 1 })];
    const [rt, ro] = await Promise.all(engines.map(async (e) => e.respond(await e.embedExemplar(z, 1), x, 3)));
    for (const e of engines) e.dispose();
    const scale = rt.reduce((s, v) => Math.max(s, Math.abs(v)), 0);
    assert.ok(ro.reduce((d, v, j) => Math.max(d, Math.abs(v - rt[j])), 0) <= 1e-4 * scale);
    const centre = ro.subarray(17 * 17, 2 * 17 * 17);
    const peak = centre.indexOf(Math.max(...centre));
    assert.deepEqual([Math.floor(peak / 17), peak % 17], [8, 8], 'the unscaled map peaks at its centre, where the target is');
  },
);

test('a folded model tracks like the model it was folded from, on both engines (existing models unchanged)', async () => {
  // Fold a committed model by hand (w * gamma / sqrt(var + eps), beta - mean * gamma / sqrt(var + eps)).
  const src = join(modelsRoot(), 'siamfc-gs');
  const m = await readModelWeights(src);
  const a = m.json.architecture;
  const folded = new Map<string, { shape: number[]; data: Float32Array }>();
  LAYERS.forEach((l, i) => {
    const w = m.tensors.get(`${l.name}/w`)!;
    const cout = w.shape[3];
    if (!l.bn) {
      folded.set(`${l.name}/w`, w);
      folded.set(`${l.name}/b`, m.tensors.get(`${l.name}/b`)!);
      return;
    }
    const [gamma, beta, mean, variance] = ['gamma', 'beta', 'mean', 'variance'].map((p) => m.tensors.get(`bn${i + 1}/${p}`)!.data);
    const k = Float64Array.from({ length: cout }, (_, o) => gamma[o] / Math.sqrt(variance[o] + a.bnEps));
    folded.set(`${l.name}/w`, { shape: w.shape, data: w.data.map((v, j) => v * k[j % cout]) });
    folded.set(`${l.name}/b`, { shape: [cout], data: Float32Array.from({ length: cout }, (_, o) => beta[o] - mean[o] * k[o]) });
  });
  folded.set('head/bias', m.tensors.get('head/bias')!);
  const dir = join(tmp, 'folded-gs');
  await saveFoldedModel(
    dir,
    folded,
    {
      width: a.width,
      exemplarSize: a.exemplarSize,
      searchSize: a.searchSize,
      headScale: a.headScale,
      bnEps: a.bnEps,
      bnMomentum: a.bnMomentum,
    },
    { trained: true },
  );

  const z = Float32Array.from({ length: 127 * 127 * 3 }, (_, i) => 128 + 100 * Math.sin(i / 97));
  const x = Float32Array.from({ length: 3 * 255 * 255 * 3 }, (_, i) => 128 + 100 * Math.sin(i / 89 + (i % 7)));
  const responses = async (e: SiamfcEngine) => {
    const r = await e.respond(await e.embedExemplar(z, 1), x, 3);
    e.dispose();
    return r;
  };
  const [origModel, foldModel] = [await loadModel(src), await loadModel(dir)];
  const maps = [
    await responses(new TfjsEngine(origModel)),
    await responses(new TfjsEngine(foldModel)),
    await responses(await OrtEngine.create(m, { device: 'cpu', threads: 1 })),
    await responses(await OrtEngine.create(await readModelWeights(dir), { device: 'cpu', threads: 1 })),
  ];
  origModel.dispose();
  foldModel.dispose();
  const ref = maps[0];
  const scale = ref.reduce((s, v) => Math.max(s, Math.abs(v)), 0);
  assert.ok(scale > 0);
  for (const [i, r] of maps.entries()) {
    const diff = r.reduce((d, v, j) => Math.max(d, Math.abs(v - ref[j])), 0);
    assert.ok(diff / scale <= 1e-4, `map ${i}: ${diff / scale}`);
  }
});
