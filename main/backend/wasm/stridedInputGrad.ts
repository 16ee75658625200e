/**
 * dx of a convolution as convolutions of dy with the flipped filter, without
 * wasted work for strides ("polyphase"): output rows h = s·a + p for each
 * phase p only meet filter taps i ≡ p + top (mod s), so each of the s_h·s_w
 * phases is a stride-1 convolution of dy with a sub-filter of about 1/s² of
 * the taps. The phases are then interleaved. Same FLOPs as the forward conv,
 * against s² times more for a convolution on zero-inserted dy. Stride 1 is
 * the one-phase case.
 *
 * Dense and depthwise convolutions share this: they differ only in how one
 * phase convolves dy with its flipped sub-filter (`PhaseConv`).
 */
import type * as tf from '@tensorflow/tfjs';
import {
  callWasm, cropNegativePads, release, reshape, slice, type Pads4, type WasmBackendLike,
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

/** dx [N,H,W,Cin] from dy [N,oh,ow,·] and the forward filter [kh,kw,Cin,·]. */
export function stridedInputGrad(
  backend: WasmBackendLike, dy: tf.TensorInfo, filter: tf.TensorInfo, g: StridedGradGeometry, conv: PhaseConv,
): tf.TensorInfo {
  const [n, h, w, cin] = g.inShape;
  const [sh, sw] = g.strides;
  const [kh, kw] = g.kernel;
  const [, oh, ow] = dy.shape;
  const ha = Math.ceil(h / sh);
  const wb = Math.ceil(w / sw);
  const phase = (p: number, q: number) => phaseConv(backend, dy, filter, [n, ha, wb, cin],
    phase1D(p, g.padTop, sh, kh, ha, oh), phase1D(q, g.padLeft, sw, kw, wb, ow), sh, sw, conv);
  if (sh === 1 && sw === 1) return phase(0, 0);
  const rows: tf.TensorInfo[] = [];
  for (let p = 0; p < sh; p++) {
    const cols: tf.TensorInfo[] = [];
    for (let q = 0; q < sw; q++) cols.push(phase(p, q));
    // [N, ha, wb, sw, Cin]
    rows.push(callWasm('Pack', backend, cols, { axis: 3 }));
    release(backend, ...cols);
  }
  const packed = callWasm('Pack', backend, rows, { axis: 2 });
  release(backend, ...rows);
  const full = reshape(backend, packed, [n, ha * sh, wb * sw, cin]);
  release(backend, packed);
  if (ha * sh === h && wb * sw === w) return full;
  const out = slice(backend, full, [0, 0, 0, 0], [n, h, w, cin]);
  release(backend, full);
  return out;
}

function phaseConv(
  backend: WasmBackendLike, dy: tf.TensorInfo, filter: tf.TensorInfo, outShape: number[],
  ph: Phase1D, pw: Phase1D, sh: number, sw: number, conv: PhaseConv,
): tf.TensorInfo {
  if (ph.count === 0 || pw.count === 0) {
    return callWasm('Fill', backend, {}, { shape: outShape, value: 0, dtype: 'float32' });
  }
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
