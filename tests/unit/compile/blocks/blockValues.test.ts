import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../../../main/compile/compileGraph';
import type { GraphIR } from '../../../../main/core';
import { graph, input } from '../../core/graphFixtures';

type Node = GraphIR['nodes'][number];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Runs block "x" on a channels-first sample and returns its channels-first output as nested arrays. */
function run(block: Omit<Node, 'id'>, chw: number[][][], setup?: (model: tf.LayersModel) => void): unknown {
  const [c, h, w] = [chw.length, chw[0].length, chw[0][0].length];
  const { model, report } = compileGraph(graph([input(c, h, w), { id: 'x', ...block } as Node], ['in -> x']), tf);
  setup?.(model);
  const x = tf.tensor3d(chw).transpose([1, 2, 0]).expandDims(0);
  const y = (model.predict(x) as tf.Tensor).squeeze([0]);
  const rank = report.nodes.find((n) => n.id === 'x')!.outShape!.length;
  const out = (rank === 3 ? y.transpose([2, 0, 1]) : y).arraySync();
  model.dispose();
  return out;
}

const ramp = (c: number, h: number, w: number) => Array.from({ length: c }, (_, k) => Array.from({ length: h }, (_, i) => Array.from({ length: w }, (_, j) => k * h * w + i * w + j)));
const close = (a: unknown, b: unknown) => expect(JSON.parse(JSON.stringify(a, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v * 1e4) / 1e4 : v)))).toEqual(b);

describe('compiled values match PyTorch semantics', () => {
  it('Flatten uses channels-first element order, like torch.flatten', () => {
    expect(run({ type: 'Flatten', params: {} }, ramp(2, 2, 3))).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });

  it('Reshape [2,2,3] → [3,4] and → [4,3,1] reinterpret the channels-first order', () => {
    expect(run({ type: 'Reshape', params: { shape: [3, 4] } }, ramp(2, 2, 3))).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]);
    expect(run({ type: 'Reshape', params: { shape: [4, 3, 1] } }, ramp(2, 2, 3))).toEqual([[[0], [1], [2]], [[3], [4], [5]], [[6], [7], [8]], [[9], [10], [11]]]);
  });

  it.each([
    [[1, 2, 0]],
    [[0, 2, 1]],
    [[2, 0, 1]],
    [[1, 0, 2]],
  ])('Permute %j of [C,H,W] is x.permute(0, ...dims+1) in PyTorch', (dims) => {
    const x = ramp(2, 3, 4);
    const shape = [2, 3, 4];
    // out[a][b][c] = x[idx] where idx[dims[0]] = a, idx[dims[1]] = b, idx[dims[2]] = c.
    const expected = Array.from({ length: shape[dims[0]] }, (_, a) =>
      Array.from({ length: shape[dims[1]] }, (_, b) =>
        Array.from({ length: shape[dims[2]] }, (_, c) => {
          const idx = [0, 0, 0];
          [idx[dims[0]], idx[dims[1]], idx[dims[2]]] = [a, b, c];
          return x[idx[0]][idx[1]][idx[2]];
        }),
      ),
    );
    expect(run({ type: 'Permute', params: { dims } }, x)).toEqual(expected);
  });

  it('AvgPool 3×3 s2 p1 counts the zero padding in the mean (count_include_pad=True)', () => {
    const ones = [Array.from({ length: 4 }, () => [1, 1, 1, 1])];
    // Corner windows see 4 ones of 9 cells; edge windows 6 of 9.
    close(run({ type: 'AvgPool', params: { kernel: 3, stride: 2, padding: 1 } }, ones), [[[0.4444, 0.6667], [0.6667, 1]]]);
  });

  it('HardSigmoid is relu6(x+3)/6 and HardSwish x·relu6(x+3)/6', () => {
    const x = [[[-4, -3, 0, 1.5, 3, 4]]];
    close(run({ type: 'HardSigmoid', params: {} }, x), [[[0, 0, 0.5, 0.75, 1, 1]]]);
    close(run({ type: 'HardSwish', params: {} }, x), [[[0, 0, 0, 1.125, 3, 4]]]);
  });

  it('ReLU6, LeakyReLU(0.2), SiLU and GELU (erf) at a few points', () => {
    const x = [[[-2, -0.5, 0.5, 7]]];
    close(run({ type: 'ReLU6', params: {} }, x), [[[0, 0, 0.5, 6]]]);
    close(run({ type: 'LeakyReLU', params: { negativeSlope: 0.2 } }, x), [[[-0.4, -0.1, 0.5, 7]]]);
    close(run({ type: 'SiLU', params: {} }, x), [[[-0.2384, -0.1888, 0.3112, 6.9936]]]);
    close(run({ type: 'GELU', params: {} }, x), [[[-0.0455, -0.1543, 0.3457, 7]]]);
  });

  it('Softmax on [C,H,W] normalises over channels at each position', () => {
    const y = run({ type: 'Softmax', params: {} }, ramp(3, 2, 2)) as number[][][];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect(y[0][i][j] + y[1][i][j] + y[2][i][j]).toBeCloseTo(1, 5);
    expect(y[2][0][0]).toBeCloseTo(Math.exp(8) / (1 + Math.exp(4) + Math.exp(8)), 5);
  });

  it('LayerNorm "channels" normalises over C at each position', () => {
    const y = run({ type: 'LayerNorm', params: {} }, ramp(2, 1, 3)) as number[][][];
    // Two channels per position: values v and v+3 become −1 and +1.
    close(y, [[[-1, -1, -1]], [[1, 1, 1]]]);
  });

  it('ConvTranspose2d k3 s2 p1 outputPadding 1 matches a direct scatter', () => {
    const x = [[[1, 2], [3, 4]]];
    const k = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];
    // PyTorch: y[i·S − P + a][j·S − P + b] += x[i][j]·k[a][b]; output (2−1)·2 − 2 + 3 + 1 = 4.
    const y = Array.from({ length: 4 }, () => [0, 0, 0, 0]);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) {
      const [r, c] = [i * 2 - 1 + a, j * 2 - 1 + b];
      if (r >= 0 && r < 4 && c >= 0 && c < 4) y[r][c] += x[0][i][j] * k[a][b];
    }
    const out = run({ type: 'ConvTranspose2d', params: { outChannels: 1, kernel: 3, padding: 1, outputPadding: 1, bias: false } }, x, (model) => {
      // TF.js's transposed kernel is [K,K,out,in]; like PyTorch it scatters x·k[a][b] to row i·S + a (no flip).
      const layer = model.getLayer('x__deconv');
      layer.setWeights([tf.tensor4d(k.flat(), [3, 3, 1, 1])]);
    });
    expect(out).toEqual([y]);
  });

  it('SqueezeExcite with zero weights gates every channel by sigmoid(0) = 0.5', () => {
    const x = ramp(4, 2, 2);
    const out = run({ type: 'SqueezeExcite', params: { squeezeChannels: 2 } }, x, (model) => {
      for (const l of model.layers) l.setWeights(l.getWeights().map((w) => tf.zerosLike(w)));
    });
    expect(out).toEqual(x.map((ch) => ch.map((row) => row.map((v) => v / 2))));
  });

  it('Multiply by a [C] gate scales each channel', () => {
    const g = graph(
      [input(2, 1, 2), { id: 'g', type: 'GlobalAvgPool', params: {} }, { id: 'x', type: 'Multiply', params: {} }],
      ['in -> g', 'in -> x', 'g -> x'],
    );
    const { model } = compileGraph(g, tf);
    // channel 0 = [1,3] (mean 2), channel 1 = [5,7] (mean 6)
    const x = tf.tensor4d([1, 5, 3, 7], [1, 1, 2, 2]);
    expect((model.predict(x) as tf.Tensor).arraySync()).toEqual([[[[2, 30], [6, 42]]]]);
    model.dispose();
  });

  it('Concat joins channels in edge order', () => {
    const g = graph(
      [input(1, 1, 2), { id: 'r', type: 'ReLU6', params: {} }, { id: 'x', type: 'Concat', params: {} }],
      ['in -> r', 'in -> x', 'r -> x'],
    );
    const { model } = compileGraph(g, tf);
    expect((model.predict(tf.tensor4d([-1, 9], [1, 1, 2, 1])) as tf.Tensor).arraySync()).toEqual([[[[-1, 0], [9, 6]]]]);
    model.dispose();
  });

  it('DropPath drops whole samples while training and scales the kept ones by 1/(1−rate)', () => {
    const { model } = compileGraph(graph([input(3, 4, 4), { id: 'x', type: 'DropPath', params: { rate: 0.5 } }], ['in -> x']), tf);
    const x = tf.ones([64, 4, 4, 3]);
    const y = model.getLayer('x').apply(x, { training: true }) as tf.Tensor;
    const perSample = y.reshape([64, 48]).arraySync() as number[][];
    for (const row of perSample) expect(new Set(row).size).toBe(1);
    const kept = perSample.filter((r) => r[0] === 2).length;
    expect(perSample.every((r) => r[0] === 0 || r[0] === 2)).toBe(true);
    expect(kept).toBeGreaterThan(10);
    expect(kept).toBeLessThan(54);
    expect((model.predict(x) as tf.Tensor).sum().dataSync()[0]).toBe(64 * 48);
    model.dispose();
  });
});
