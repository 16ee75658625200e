/**
 * dW of a convolution as blocked matrix products ("im2col"):
 *
 * dW[(i,j,ci), co] = Σ_t patches[(i,j,ci), t] · dy[t, co]
 *
 * over the output positions t = (n, y, x). Two things make this fast on
 * XNNPACK, whose fully-connected operator packs its right operand
 * (single-threaded, several ns per element) and streams its whole depth once
 * per row tile:
 *  - the positions are cut into chunks: each chunk's product packs only its
 *    slice of dy, which stays in cache while every patch row passes over it;
 *    the partial products are added at the end;
 *  - the patch rows are copies of contiguous runs: x is first laid out phase
 *    by phase and channel-major (channelMajorPhases.ts), where tap (i, j) of
 *    output row (n, y) reads, per channel, ow consecutive elements.
 * The products run on XNNPACK's thread pool; the copies are single passes.
 */
import type * as tf from '@tensorflow/tfjs';
import { plainMatMul } from './batchMatMul';
import { channelMajorPhases } from './channelMajorPhases';
import type { ConvGeometry } from './convGeometry';
import { callWasm, release, reshape, slice, type WasmHeapBackend } from './kernelOps';

/**
 * Positions per product: a chunk of dy (positions × Cout floats) of about
 * 1 MiB, an L2 cache, so packing and streaming it stay in cache; at least
 * 1024 so that per-product overheads stay small (tuned with
 * tests/bench/backendConvFilterGrad.ts).
 */
export function chunkPositions(cout: number): number {
  return Math.min(8192, Math.max(1024, 2 ** Math.floor(Math.log2(262144 / cout))));
}

/** Runs at least this long are copied with set(); shorter ones by a loop. */
const LONG_RUN = 64;

export function filterGradByPatches(
  backend: WasmHeapBackend, x: tf.TensorInfo, dy: tf.TensorInfo, g: ConvGeometry, chunk = chunkPositions(g.cout),
): tf.TensorInfo {
  const rows = g.oh + Math.floor((g.kh - 1) / g.sh);
  const cols = g.ow + Math.floor((g.kw - 1) / g.sw);
  const plane = g.n * rows * cols;
  const phasesH = Math.min(g.sh, g.kh);
  const phasesW = Math.min(g.sw, g.kw);
  const phases = channelMajorPhases(backend, x, {
    sh: g.sh, sw: g.sw, phasesH, phasesW, rows, cols, top: g.top, left: g.left,
  });
  // Where tap (i, j) starts in the phase layout, for channel 0 of position 0.
  const tapStart: number[] = [];
  for (let i = 0; i < g.kh; i++) {
    for (let j = 0; j < g.kw; j++) {
      const phase = (i % g.sh) * phasesW + (j % g.sw);
      tapStart.push(phase * g.cin * plane + Math.floor(i / g.sh) * cols + Math.floor(j / g.sw));
    }
  }
  const positions = g.n * g.oh * g.ow;
  const patchRows = tapStart.length * g.cin;
  const dyRows = reshape(backend, dy, [positions, g.cout]);

  const partials: tf.TensorInfo[] = [];
  for (let t0 = 0; t0 < positions; t0 += chunk) {
    const len = Math.min(chunk, positions - t0);
    const patches = backend.makeOutput([1, patchRows, len], 'float32');
    copyPatches(
      backend.typedArrayFromHeap(patches) as Float32Array, backend.typedArrayFromHeap(phases) as Float32Array,
      tapStart, g, rows, cols, plane, t0, len);
    const dyChunk = slice(backend, dyRows, [t0, 0], [len, g.cout]);
    const dyChunk3 = reshape(backend, dyChunk, [1, len, g.cout]);
    partials.push(plainMatMul(backend, patches, dyChunk3));
    release(backend, patches, dyChunk, dyChunk3);
  }
  const total = partials.length === 1 ? partials[0] : callWasm('AddN', backend, partials);
  const dw = reshape(backend, total, [g.kh, g.kw, g.cin, g.cout]);
  release(backend, phases, dyRows, total);
  if (partials.length > 1) release(backend, ...partials);
  return dw;
}

/**
 * patches[(tap, c), t − t0] for positions t in [t0, t0 + len): output row by
 * output row, each (tap, channel) a run of consecutive x positions.
 */
function copyPatches(
  dst: Float32Array, src: Float32Array, tapStart: number[], g: ConvGeometry,
  rows: number, cols: number, plane: number, t0: number, len: number,
): void {
  const perImage = g.oh * g.ow;
  for (let t = t0; t < t0 + len;) {
    const n = Math.floor(t / perImage);
    const y = Math.floor((t - n * perImage) / g.ow);
    const x0 = t - n * perImage - y * g.ow;
    const run = Math.min(g.ow - x0, t0 + len - t);
    const gridOffset = (n * rows + y) * cols + x0;
    let d = t - t0;
    for (let tap = 0; tap < tapStart.length; tap++) {
      let s = tapStart[tap] + gridOffset;
      for (let c = 0; c < g.cin; c++, s += plane, d += len) {
        if (run >= LONG_RUN) {
          dst.set(src.subarray(s, s + run), d);
        } else {
          for (let k = 0; k < run; k++) dst[d + k] = src[s + k];
        }
      }
    }
    t += run;
  }
}
