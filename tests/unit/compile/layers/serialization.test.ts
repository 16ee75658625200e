import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { customLayers } from '../../../../main/compile/layers';
import { compileGraph } from '../../../../main/compile/compileGraph';
import { graph, input } from '../../core/graphFixtures';
import { randomTensor } from './gradientCheck';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Sym = tf.SymbolicTensor;

/** Saves a model to memory (topology JSON + weights, what any tf.io handler receives) and loads it back. */
async function roundTrip(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  // Through a JSON string, as a file would: only plain data survives.
  const topology = JSON.parse(JSON.stringify(saved!.modelTopology));
  return tf.loadLayersModel(tf.io.fromMemory({ ...saved!, modelTopology: topology }));
}

/** Random weights everywhere, so equal outputs cannot come from equal initialisations. */
function randomize(model: tf.LayersModel): void {
  model.setWeights(model.getWeights().map((w, i) => randomTensor(w.shape, 50 + i, 0.5)));
}

async function expectSameModel(model: tf.LayersModel, x: tf.Tensor, classNames: string[]): Promise<void> {
  randomize(model);
  const loaded = await roundTrip(model);
  expect(loaded.layers.map((l) => l.getClassName())).toEqual(expect.arrayContaining(classNames));
  expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
  expect(loaded.trainableWeights.map((w) => w.shape)).toEqual(model.trainableWeights.map((w) => w.shape));
  const before = model.predict(x) as tf.Tensor;
  const after = loaded.predict(x) as tf.Tensor;
  expect(after.shape).toEqual(before.shape);
  expect(tf.max(tf.abs(tf.sub(before, after))).dataSync()[0]).toBe(0);
  loaded.dispose();
  model.dispose();
}

describe('models with the custom layers save and load with the same outputs', () => {
  it('image layers: GroupNorm, DilatedConv2D, DilatedDepthwiseConv2D, InterpolateResize', async () => {
    const x = tf.input({ shape: [9, 8, 4] });
    let y = customLayers.groupNorm({ name: 'gn', groups: 2, epsilon: 1e-5 }).apply(x) as Sym;
    y = customLayers.dilatedConv2d({ name: 'dc', filters: 6, kernelSize: 3, stride: 2, dilation: 2, padding: [[2, 1], [2, 2]], useBias: true }).apply(y) as Sym;
    y = customLayers.dilatedDepthwiseConv2d({ name: 'dd', depthMultiplier: 2, kernelSize: 3, stride: 1, dilation: 3, padding: [[3, 3], [3, 3]], useBias: true }).apply(y) as Sym;
    y = customLayers.resize({ name: 'up', size: [7, 11], mode: 'bilinear' }).apply(y) as Sym;
    y = customLayers.resize({ name: 'down', size: [3, 2], mode: 'nearest' }).apply(y) as Sym;
    const model = tf.model({ inputs: x, outputs: y });
    await expectSameModel(model, randomTensor([2, 9, 8, 4], 1), ['GroupNorm', 'DilatedConv2D', 'DilatedDepthwiseConv2D', 'InterpolateResize']);
  });

  it('token layers: ClassToken, PositionEmbedding, MultiHeadSelfAttention, L2Normalize', async () => {
    const x = tf.input({ shape: [5, 8] });
    let y = customLayers.classToken({ name: 'cls' }).apply(x) as Sym;
    y = customLayers.positionEmbedding({ name: 'pos' }).apply(y) as Sym;
    y = customLayers.multiHeadSelfAttention({ name: 'attn', heads: 2, qkvBias: false, dropout: 0.1 }).apply(y) as Sym;
    y = customLayers.l2Normalize({ name: 'l2', epsilon: 1e-12 }).apply(y) as Sym;
    const model = tf.model({ inputs: x, outputs: y });
    await expectSameModel(model, randomTensor([3, 5, 8], 2), ['ClassToken', 'PositionEmbedding', 'MultiHeadSelfAttention', 'L2Normalize']);
  });

  it('a compiled graph with a transformer encoder block and an embedding head', async () => {
    const g = graph(
      [
        input(3, 8, 8),
        { id: 'patch', type: 'PatchEmbed', params: { patchSize: 4, dim: 8 } },
        { id: 'cls', type: 'ClassToken', params: {} },
        { id: 'pos', type: 'PositionEmbedding', params: {} },
        { id: 'enc', type: 'TransformerEncoderBlock', params: { heads: 2 } },
        { id: 'sel', type: 'SelectToken', params: {} },
        { id: 'emb', type: 'EmbeddingHead', params: { dim: 4 } },
      ],
      ['in -> patch', 'patch -> cls', 'cls -> pos', 'pos -> enc', 'enc -> sel', 'sel -> emb'],
    );
    const { model } = compileGraph(g, tf);
    await expectSameModel(model, randomTensor([2, 8, 8, 3], 3), ['ClassToken', 'PositionEmbedding', 'MultiHeadSelfAttention', 'L2Normalize']);
  });
});
