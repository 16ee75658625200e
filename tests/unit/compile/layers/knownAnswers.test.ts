import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClassToken, GroupNorm, InterpolateResize, L2Normalize, MultiHeadSelfAttention, PositionEmbedding } from '../../../../main/compile/layers';
import { interpolationMatrix } from '../../../../main/compile/layers/resize';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Element-wise closeness of nested arrays to `digits` decimals. */
function expectClose(actual: tf.Tensor, expected: number[], digits = 5): void {
  const values = Array.from(actual.dataSync());
  expect(values).toHaveLength(expected.length);
  values.forEach((v, i) => expect(v, `element ${i}`).toBeCloseTo(expected[i], digits));
}

describe('GroupNorm (PyTorch nn.GroupNorm)', () => {
  // One sample, 1×2 positions, 4 channels in 2 groups. Group 0 holds channels 0-1: {1,2,3,4},
  // mean 2.5, variance 1.25; group 1 holds channels 2-3: {3,5,7,9}, mean 6, variance 5.
  const x = tf.tensor4d([1, 2, 3, 5, 3, 4, 7, 9], [1, 1, 2, 4]);
  const a = 1.5 / Math.sqrt(1.25);
  const b = 0.5 / Math.sqrt(1.25);
  const c = 3 / Math.sqrt(5);
  const d = 1 / Math.sqrt(5);

  it('normalises each group over its channels and positions (γ=1, β=0 as initialised)', () => {
    const layer = new GroupNorm({ name: 'gn', groups: 2, epsilon: 1e-9 });
    // position 0: 1 → −a, 2 → −b, 3 → −c, 5 → −d; position 1: 3 → +b, 4 → +a, 7 → +d, 9 → +c
    expectClose(layer.apply(x) as tf.Tensor, [-a, -b, -c, -d, b, a, d, c]);
  });

  it('then scales and shifts per channel', () => {
    const layer = new GroupNorm({ name: 'gn2', groups: 2, epsilon: 1e-9 });
    layer.apply(x);
    layer.setWeights([tf.tensor1d([1, 2, 1, 1]), tf.tensor1d([0, 0, 0, 10])]);
    expectClose(layer.apply(x) as tf.Tensor, [-a, -2 * b, -c, 10 - d, b, 2 * a, d, 10 + c]);
  });

  it('one group normalises all channels together (LayerNorm over C,H,W); C groups is InstanceNorm', () => {
    const all = new GroupNorm({ name: 'gn3', groups: 1, epsilon: 1e-9 }).apply(x) as tf.Tensor;
    const mean = (1 + 2 + 3 + 5 + 3 + 4 + 7 + 9) / 8;
    const sd = Math.sqrt([1, 2, 3, 5, 3, 4, 7, 9].reduce((s, v) => s + (v - mean) ** 2, 0) / 8);
    expectClose(all, [1, 2, 3, 5, 3, 4, 7, 9].map((v) => (v - mean) / sd));
    // Per channel over the two positions: each pair (p, q) becomes (−1, +1) when p < q.
    expectClose(new GroupNorm({ name: 'gn4', groups: 4, epsilon: 1e-9 }).apply(x) as tf.Tensor, [-1, -1, -1, -1, 1, 1, 1, 1]);
  });

  it('refuses groups that do not divide the channels', () => {
    expect(() => new GroupNorm({ name: 'gn5', groups: 3, epsilon: 1e-5 }).apply(x)).toThrow(/groups=3 must divide the 4 channels/);
  });
});

describe('MultiHeadSelfAttention (torch.nn.MultiheadAttention)', () => {
  // Two tokens e₁ = [1,0] and e₂ = [0,1], D = 2.
  const x = tf.tensor3d([[[1, 0], [0, 1]]]);
  const eye = [1, 0, 0, 1];
  /** in_proj kernel [D,3D] from the Q, K, V blocks (each [D,D], row-major), as PyTorch's in_proj_weight transposed. */
  const packed = (q: number[], k: number[], v: number[]) => tf.concat([tf.tensor2d(q, [2, 2]), tf.tensor2d(k, [2, 2]), tf.tensor2d(v, [2, 2])], 1);
  const attention = (heads: number, weights: tf.Tensor[]) => {
    const layer = new MultiHeadSelfAttention({ name: `mhsa${heads}`, heads, qkvBias: true, dropout: 0 });
    layer.apply(x);
    layer.setWeights(weights);
    return layer;
  };

  it('one head with identity projections: softmax(x·xᵀ/√2)·x', () => {
    const layer = attention(1, [packed(eye, eye, eye), tf.zeros([6]), tf.tensor2d(eye, [2, 2]), tf.zeros([2])]);
    // Scores [[1,0],[0,1]]/√2: token 1 weighs itself by σ(1/√2) = 0.669761 and token 2 by the rest.
    const s = 1 / (1 + Math.exp(-1 / Math.sqrt(2)));
    expectClose(layer.apply(x) as tf.Tensor, [s, 1 - s, 1 - s, s]);
    expect(layer.trainableWeights.map((w) => w.shape)).toEqual([[2, 6], [6], [2, 2], [2]]);
  });

  it('two heads each attend over their own coordinate (head dim 1, scale 1), then the output projection and bias apply', () => {
    const layer = attention(2, [packed(eye, eye, eye), tf.zeros([6]), tf.tensor2d([0, 1, 1, 0], [2, 2]), tf.tensor1d([10, 20])]);
    // Head 0 sees coordinate 0: scores [[1,0],[0,0]], so token 1 mixes v₀ = [1,0] with e/(e+1) = 0.731059, token 2 with ½.
    // Head 1 sees coordinate 1: token 1 gets ½, token 2 gets 0.731059. The output kernel swaps the two, then adds [10,20].
    const e = Math.E / (Math.E + 1);
    expectClose(layer.apply(x) as tf.Tensor, [10 + 0.5, 20 + e, 10 + e, 20 + 0.5]);
  });

  it('the packed projection is Q, then K, then V (with their biases): K = 0 gives uniform attention over 2·V', () => {
    // Q = x, K = 0 (so every score is 0 and attention is uniform), V = 2x + [1, 0].
    const layer = attention(1, [packed(eye, [0, 0, 0, 0], [2, 0, 0, 2]), tf.tensor1d([0, 0, 5, 5, 1, 0]), tf.tensor2d(eye, [2, 2]), tf.zeros([2])]);
    // Each token: mean of V rows [3,0] and [1,2] = [2,1]; a K bias of [5,5] shifts all scores equally and changes nothing.
    expectClose(layer.apply(x) as tf.Tensor, [2, 1, 2, 1]);
  });

  it('drops attention weights only while training', () => {
    const layer = new MultiHeadSelfAttention({ name: 'mhsa_drop', heads: 1, qkvBias: true, dropout: 0.5 });
    const tokens = tf.randomNormal([4, 6, 2]);
    const inference = layer.apply(tokens) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(layer.apply(tokens, { training: false }) as tf.Tensor, inference))).dataSync()[0]).toBe(0);
    const training = layer.apply(tokens, { training: true }) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(training, inference))).dataSync()[0]).toBeGreaterThan(1e-3);
  });
});

describe('tokens', () => {
  const x = tf.tensor3d([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);

  it('ClassToken prepends the same learned vector to every sequence; it starts at zero', () => {
    const layer = new ClassToken({ name: 'cls' });
    expectClose(layer.apply(x) as tf.Tensor, [0, 0, 1, 2, 3, 4, 0, 0, 5, 6, 7, 8]);
    layer.setWeights([tf.tensor3d([[[7, 9]]])]);
    const y = layer.apply(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 3, 2]);
    expectClose(y, [7, 9, 1, 2, 3, 4, 7, 9, 5, 6, 7, 8]);
  });

  it('PositionEmbedding adds its [N,D] table to every sequence; initialised with std 0.02', () => {
    const layer = new PositionEmbedding({ name: 'pos' });
    layer.apply(x);
    layer.setWeights([tf.tensor2d([[10, 20], [30, 40]])]);
    expectClose(layer.apply(x) as tf.Tensor, [11, 22, 33, 44, 15, 26, 37, 48]);
    const big = new PositionEmbedding({ name: 'pos_init' });
    big.apply(tf.zeros([1, 100, 100]));
    const table = big.getWeights()[0];
    expect(table.shape).toEqual([100, 100]);
    // 10,000 draws: the sample std is 0.02 within a few percent, the mean near 0.
    const { mean, variance } = tf.moments(table);
    expect(Math.abs(mean.dataSync()[0])).toBeLessThan(0.002);
    expect(Math.sqrt(variance.dataSync()[0])).toBeCloseTo(0.02, 3);
  });
});

describe('L2Normalize (PyTorch F.normalize, eps 1e-12)', () => {
  it('scales each vector to unit length and leaves a zero vector at zero', () => {
    const layer = new L2Normalize({ name: 'l2', epsilon: 1e-12 });
    expectClose(layer.apply(tf.tensor2d([[3, 4], [0, 0], [-1, 0]])) as tf.Tensor, [0.6, 0.8, 0, 0, -1, 0]);
    expectClose(layer.apply(tf.tensor2d([[1, 1, 1, 1]])) as tf.Tensor, [0.5, 0.5, 0.5, 0.5]);
  });

  it('has a finite gradient at the zero vector', () => {
    const layer = new L2Normalize({ name: 'l2z', epsilon: 1e-12 });
    const g = tf.grad((v: tf.Tensor) => tf.sum(layer.apply(v) as tf.Tensor))(tf.zeros([1, 3]));
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
  });
});

describe('InterpolateResize (PyTorch F.interpolate)', () => {
  it('bilinear, align_corners=False: [0,1] → [0, .25, .75, 1] (PyTorch’s answer), along both axes', () => {
    const layer = new InterpolateResize({ name: 'r1', size: [4, 4], mode: 'bilinear' });
    const y = layer.apply(tf.tensor4d([0, 1, 2, 3], [1, 2, 2, 1])) as tf.Tensor;
    // Input [[0,1],[2,3]] = 2·row + col, so the output is 2·r_i + r_j with r = [0, .25, .75, 1].
    const r = [0, 0.25, 0.75, 1];
    expectClose(y, r.flatMap((ri) => r.map((rj) => 2 * ri + rj)));
  });

  it('bilinear downsampling [0,1,2] → 2 reads source 0.25 and 1.75; non-square images keep their axes', () => {
    expect(Array.from(interpolationMatrix(3, 2, 'bilinear'))).toEqual([0.75, 0.25, 0, 0, 0.25, 0.75]);
    // A [2,3] image (rows 0 and 10 apart) resized to [1,2]: each row is averaged (source row 0.5), columns as above.
    const y = new InterpolateResize({ name: 'r2', size: [1, 2], mode: 'bilinear' }).apply(tf.tensor4d([0, 1, 2, 10, 11, 12], [1, 2, 3, 1])) as tf.Tensor;
    expect(y.shape).toEqual([1, 1, 2, 1]);
    expectClose(y, [5.25, 6.75]);
  });

  it('nearest reads floor(dst·in/out): 2 → 3 repeats the first, 4 → 3 skips one', () => {
    expect(Array.from(interpolationMatrix(2, 3, 'nearest'))).toEqual([1, 0, 1, 0, 0, 1]);
    const y = new InterpolateResize({ name: 'r3', size: [1, 3], mode: 'nearest' }).apply(tf.tensor4d([5, 6, 7, 8], [1, 1, 4, 1])) as tf.Tensor;
    // floor(0·4/3) = 0, floor(4/3) = 1, floor(8/3) = 2
    expectClose(y, [5, 6, 7]);
  });
});
