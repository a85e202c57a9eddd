import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import type { KernelBackend, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';

/**
 * The WASM backend lacks the kernels that give a convolution's gradient with respect to its filter
 * (and the depthwise input gradient), so training on it fails. Each is itself a convolution the
 * backend does have:
 *  - Conv2DBackpropFilter: dW[i,j,ci,co] = sum_{n,p,q} x[n, p*s + i*d - pad, ., ci] dy[n,p,q,co] is a
 *    convolution of x (channels and batch swapped) with dy as the filter, stride d, dilation s.
 *  - DepthwiseConv2dNativeBackpropFilter: the same with batch and channels folded into depthwise
 *    channels, summed over the batch afterwards.
 *  - DepthwiseConv2dNativeBackpropInput: a depthwise convolution of the stride-dilated, padded dy
 *    with the 180-degree rotated filter, summed over the channel multiplier.
 * They are composed from tfjs ops inside the kernel, which run on the same backend. Nothing here is
 * WASM-specific: the kernels are correct on any backend, which is how the tests check them.
 */

type Attrs = {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape?: [number, number, number, number];
  inputShape?: [number, number, number, number];
};

type Composite = (inputs: Record<string, tf.Tensor>, attrs: Attrs) => tf.Tensor;

function pair(v: number | [number, number] | undefined): [number, number] {
  if (v === undefined) return [1, 1];
  return typeof v === 'number' ? [v, v] : v;
}

/** Runs tfjs ops as a kernel body, keeping reference counts right on both sides of the boundary. */
function asKernel(body: Composite) {
  return ({ inputs, backend, attrs }: { inputs: NamedTensorInfoMap; backend: KernelBackend; attrs?: NamedAttrMap }): TensorInfo => {
    const engine = tf.engine();
    const wrapped: Record<string, tf.Tensor> = {};
    for (const [name, info] of Object.entries(inputs)) {
      if (!info) continue;
      // A wrapper's dispose releases one backend reference: take one for it first.
      backend.incRef(info.dataId);
      wrapped[name] = engine.makeTensorFromTensorInfo(info, backend);
    }
    try {
      const out = tf.tidy(() => body(wrapped, attrs as unknown as Attrs));
      backend.incRef(out.dataId); // outlives `out`: the engine wraps it as the kernel's output
      out.dispose();
      return { dataId: out.dataId, shape: out.shape, dtype: out.dtype };
    } finally {
      for (const t of Object.values(wrapped)) t.dispose();
    }
  };
}

/** The WASM backend convolves NHWC only, so its gradients never see NCHW. */
function nhwc(t: tf.Tensor, format: Attrs['dataFormat']): tf.Tensor4D {
  if (format === 'NCHW') throw new Error('WASM convolution gradients: NCHW is not supported');
  return t as tf.Tensor4D;
}

/** Pads (positive) or crops (negative) each spatial side of an NHWC tensor. */
function padOrCrop(t: tf.Tensor4D, top: number, bottom: number, left: number, right: number): tf.Tensor4D {
  const padded = tf.pad(t, [
    [0, 0],
    [Math.max(0, top), Math.max(0, bottom)],
    [Math.max(0, left), Math.max(0, right)],
    [0, 0],
  ]);
  const [n, h, w, c] = padded.shape;
  const ct = Math.max(0, -top);
  const cl = Math.max(0, -left);
  return tf.slice(padded, [0, ct, cl, 0], [n, h - ct - Math.max(0, -bottom), w - cl - Math.max(0, -right), c]);
}

function convInfo(xShape: number[], filterShape: number[], attrs: Attrs, depthwise: boolean) {
  const x = xShape as [number, number, number, number];
  const f = filterShape as [number, number, number, number];
  const strides = pair(attrs.strides);
  const dilations = pair(attrs.dilations);
  return backend_util.computeConv2DInfo(x, f, strides, dilations, attrs.pad, attrs.dimRoundingMode, depthwise, 'channelsLast');
}

const conv2dBackpropFilter: Composite = ({ x, dy }, attrs) => {
  const info = convInfo(x.shape, attrs.filterShape!, attrs, false);
  const input = nhwc(x, attrs.dataFormat);
  const grad = nhwc(dy, attrs.dataFormat);
  const { top, left } = info.padInfo;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  // Only as much bottom/right padding as the last filter tap reaches.
  const bottom = (info.outHeight - 1) * sh + (kh - 1) * dh + 1 - (info.inHeight + top);
  const right = (info.outWidth - 1) * sw + (kw - 1) * dw + 1 - (info.inWidth + left);
  const xs = tf.transpose(padOrCrop(input, top, bottom, left, right), [3, 1, 2, 0]); // [Cin, H, W, N]
  const dys = tf.transpose(grad, [1, 2, 0, 3]); // [Ho, Wo, N, Cout]
  const out = tf.conv2d(xs, dys as tf.Tensor4D, [dh, dw], 'valid', 'NHWC', [sh, sw]); // [Cin, kh, kw, Cout]
  return tf.transpose(out, [1, 2, 0, 3]);
};

const depthwiseBackpropFilter: Composite = ({ x, dy }, attrs) => {
  const info = convInfo(x.shape, attrs.filterShape!, attrs, true);
  const input = nhwc(x, attrs.dataFormat);
  const grad = nhwc(dy, attrs.dataFormat);
  const [n, , , c] = input.shape;
  const m = attrs.filterShape![3];
  const { top, left } = info.padInfo;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const bottom = (info.outHeight - 1) * sh + (kh - 1) * dh + 1 - (info.inHeight + top);
  const right = (info.outWidth - 1) * sw + (kw - 1) * dw + 1 - (info.inWidth + left);
  const xp = padOrCrop(input, top, bottom, left, right);
  const [, hp, wp] = xp.shape;
  // Depthwise channel n*C + c pairs input x[n,..,c] with its own gradient dy[n,..,c*m + k].
  const xs = tf.reshape(tf.transpose(xp, [1, 2, 0, 3]), [1, hp, wp, n * c]) as tf.Tensor4D;
  const dys = tf.reshape(tf.transpose(grad, [1, 2, 0, 3]), [info.outHeight, info.outWidth, n * c, m]);
  const out = tf.depthwiseConv2d(xs, dys as tf.Tensor4D, [dh, dw], 'valid', 'NHWC', [sh, sw]); // [1, kh, kw, N*C*m]
  return tf.sum(tf.reshape(out, [kh, kw, n, c, m]), 2);
};

const depthwiseBackpropInput: Composite = ({ dy, filter }, attrs) => {
  const info = convInfo(attrs.inputShape!, filter.shape, attrs, true);
  const grad = nhwc(dy, attrs.dataFormat);
  const [n, ho, wo, cm] = grad.shape;
  const { top, left } = info.padInfo;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const c = info.inChannels;
  const m = filter.shape[3] as number;
  // Put the stride back as zeros between gradient cells: [N, (Ho-1)*sh + 1, (Wo-1)*sw + 1, C*m].
  let spread: tf.Tensor4D = grad;
  if (sh > 1 || sw > 1) {
    const z = tf.pad(tf.reshape(grad, [n, ho, 1, wo, 1, cm]), [
      [0, 0],
      [0, 0],
      [0, sh - 1],
      [0, 0],
      [0, sw - 1],
      [0, 0],
    ]);
    spread = tf.slice(tf.reshape(z, [n, ho * sh, wo * sw, cm]) as tf.Tensor4D, [0, 0, 0, 0], [n, (ho - 1) * sh + 1, (wo - 1) * sw + 1, cm]);
  }
  const padTop = (kh - 1) * dh - top;
  const padLeft = (kw - 1) * dw - left;
  const padBottom = info.inHeight + top - (ho - 1) * sh - 1;
  const padRight = info.inWidth + left - (wo - 1) * sw - 1;
  const padded = padOrCrop(spread, padTop, padBottom, padLeft, padRight);
  const rotated = tf.reshape(tf.reverse(filter, [0, 1]), [kh, kw, c * m, 1]);
  const out = tf.depthwiseConv2d(padded, rotated as tf.Tensor4D, 1, 'valid', 'NHWC', [dh, dw]); // [N, H, W, C*m]
  return tf.sum(tf.reshape(out, [n, info.inHeight, info.inWidth, c, m]), 4);
};

export const WASM_GRADIENT_KERNELS = [
  'Conv2DBackpropFilter',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
] as const;

/**
 * Registers the missing gradient kernels for `backendName` (default 'wasm'); kernels the backend
 * already has are left alone, so calling this twice, or after a future tfjs adds them, is harmless.
 */
export function registerWasmGradients(backendName = 'wasm'): string[] {
  const bodies: Record<(typeof WASM_GRADIENT_KERNELS)[number], Composite> = {
    Conv2DBackpropFilter: conv2dBackpropFilter,
    DepthwiseConv2dNativeBackpropFilter: depthwiseBackpropFilter,
    DepthwiseConv2dNativeBackpropInput: depthwiseBackpropInput,
  };
  const added: string[] = [];
  for (const name of WASM_GRADIENT_KERNELS) {
    if (tf.getKernel(name, backendName)) continue;
    tf.registerKernel({ kernelName: name, backendName, kernelFunc: asKernel(bodies[name]) as unknown as tf.KernelFunc });
    added.push(name);
  }
  return added;
}
