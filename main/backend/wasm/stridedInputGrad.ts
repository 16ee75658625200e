/**
 * dx of a convolution as convolutions of dy with the flipped filter, without
 * wasted work for strides ("polyphase"): output rows h = s·a + p for each
 * phase p only meet filter taps i ≡ p + top (mod s), so each of the s_h·s_w
 * phases is a stride-1 convolution of dy with a sub-filter of about 1/s² of
 * the taps. The phases are then interleaved. Same FLOPs as the forward conv,
 * against s² times more for a convolution on zero-inserted dy. Stride 1 is
 * the one-phase case. The phases are written straight into dx (one pass;
 * phases no tap reaches are zero).
 *
 * Dense and depthwise convolutions share this: they differ only in how one
 * phase convolves dy with its flipped sub-filter (`PhaseConv`).
 */
import type * as tf from '@tensorflow/tfjs';
import {
  callWasm, cropNegativePads, release, type Pads4, type WasmBackendLike, type WasmHeapBackend,
} from './kernelOps';

/** Taps of one phase along one axis: tap index i = r + s·m, m = 0..count-1. */
interface Phase1D { r: number; count: number; top: number; bottom: number }

function phase1D(p: number, padTop: number, s: number, k: number, outLen: number, dyLen: number): Phase1D {
  const r = (p + padTop) % s;
  const c0 = Math.floor((p + padTop) / s);
  const count = r < k ? Math.ceil((k - r) / s) : 0;
  const top = count - 1 - c0;
  return { r, count, top, bottom: outLen + count - 1 - top - dyLen };
}

/**
 * Stride-1 "valid" convolution of dy (already cropped/padded by `pads`, all
 * ≥ 0) with a sub-filter of the forward filter ([kh', kw', Cin, Cout] or
 * depthwise [kh', kw', C, M]) flipped in space (which the callback does, in
 * the same pass as any relayout it needs); returns [N, h', w', Cin].
 */
export type PhaseConv = (dy: tf.TensorInfo, subFilter: tf.TensorInfo, pads: Pads4) => tf.TensorInfo;

export interface StridedGradGeometry {
  inShape: [number, number, number, number];
  strides: [number, number];
  kernel: [number, number];
  padTop: number;
  padLeft: number;
}

/** The geometry of a forward convolution's input gradient, from TF.js's conv info. */
export function gradGeometry(inShape: [number, number, number, number], info: tf.backend_util.Conv2DInfo): StridedGradGeometry {
  return {
    inShape,
    strides: [info.strideHeight, info.strideWidth],
    kernel: [info.filterHeight, info.filterWidth],
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/** dx [N,H,W,Cin] from dy [N,oh,ow,·] and the forward filter [kh,kw,Cin,·]. */
export function stridedInputGrad(
  backend: WasmHeapBackend, dy: tf.TensorInfo, filter: tf.TensorInfo, g: StridedGradGeometry, conv: PhaseConv,
): tf.TensorInfo {
  const [n, h, w, cin] = g.inShape;
  const [sh, sw] = g.strides;
  const [kh, kw] = g.kernel;
  const [, oh, ow] = dy.shape;
  const ha = Math.ceil(h / sh);
  const wb = Math.ceil(w / sw);
  const phase = (p: number, q: number) => phaseConv(backend, dy, filter,
    phase1D(p, g.padTop, sh, kh, ha, oh), phase1D(q, g.padLeft, sw, kw, wb, ow), sh, sw, conv);
  if (sh === 1 && sw === 1) return phase(0, 0) ?? callWasm('Fill', backend, {}, { shape: g.inShape, value: 0, dtype: 'float32' });
  const dx = backend.makeOutput(g.inShape, 'float32');
  for (let p = 0; p < sh; p++) {
    for (let q = 0; q < sw; q++) {
      const part = phase(p, q);
      interleave(backend, dx, part, p, q, sh, sw, [n, ha, wb, cin]);
      if (part) release(backend, part);
    }
  }
  return dx;
}

/**
 * Write phase (p, q) [N, ha, wb, Cin] (null: all zero) into dx at rows
 * a·sh + p and columns b·sw + q that exist.
 */
function interleave(
  backend: WasmHeapBackend, dx: tf.TensorInfo, part: tf.TensorInfo | null,
  p: number, q: number, sh: number, sw: number, phaseShape: number[],
): void {
  const [n, h, w, c] = dx.shape;
  const [, ha, wb] = phaseShape;
  const out = backend.typedArrayFromHeap(dx) as Float32Array;
  const src = part ? backend.typedArrayFromHeap(part) as Float32Array : null;
  for (let b = 0; b < n; b++) {
    for (let a = 0; a < ha && a * sh + p < h; a++) {
      for (let col = 0; col < wb && col * sw + q < w; col++) {
        const to = ((b * h + a * sh + p) * w + col * sw + q) * c;
        if (!src) {
          for (let k = 0; k < c; k++) out[to + k] = 0;
          continue;
        }
        const from = ((b * ha + a) * wb + col) * c;
        for (let k = 0; k < c; k++) out[to + k] = src[from + k];
      }
    }
  }
}

/** One phase's dx [N, ha, wb, Cin], or null where no filter tap reaches it. */
function phaseConv(
  backend: WasmBackendLike, dy: tf.TensorInfo, filter: tf.TensorInfo,
  ph: Phase1D, pw: Phase1D, sh: number, sw: number, conv: PhaseConv,
): tf.TensorInfo | null {
  if (ph.count === 0 || pw.count === 0) return null;
  const [kh, kw, c, m] = filter.shape;
  const whole = ph.count === kh && pw.count === kw;
  const sub = whole ? filter : callWasm('StridedSlice', backend, { x: filter }, {
    begin: [ph.r, pw.r, 0, 0],
    end: [ph.r + sh * (ph.count - 1) + 1, pw.r + sw * (pw.count - 1) + 1, c, m],
    strides: [sh, sw, 1, 1],
    beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0,
  });
  const { x, pads } = cropNegativePads(backend, dy, { top: ph.top, bottom: ph.bottom, left: pw.top, right: pw.bottom });
  const out = conv(x, sub, pads);
  if (sub !== filter) release(backend, sub);
  if (x !== dy) release(backend, x);
  return out;
}
