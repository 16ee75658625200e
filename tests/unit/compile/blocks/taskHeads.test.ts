import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../../../main/compile/compileGraph';
import type { GraphIR } from '../../../../main/core';
import { graph, input } from '../../core/graphFixtures';
import { loadTemplate } from '../../../../main/templates/templateLibrary';

type Node = GraphIR['nodes'][number];

const size = (shape: readonly (number | null)[]) => shape.reduce<number>((a, b) => a * (b ?? 1), 1);
const nhwc = (s: number[]) => (s.length === 3 ? [s[1], s[2], s[0]] : s);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A head on one conv feature map of a [3,16,16] input. */
function onFeatures(head: Omit<Node, 'id'>, channels = 8): GraphIR {
  return graph([input(3, 16, 16), { id: 'f', type: 'Conv2d', params: { outChannels: channels } }, { id: 'x', ...head } as Node], ['in -> f', 'f -> x']);
}

/** A detection head on a three-level pyramid (strides 2/4/8 of a [3,16,16] input, 8/12/16 channels). */
function pyramid(params: Record<string, unknown>, levels = 3): GraphIR {
  const ids = ['p0', 'p1', 'p2'].slice(0, levels);
  const convs = ids.map((id, i): Node => ({ id, type: 'Conv2d', params: { outChannels: 8 + 4 * i, stride: 2 } }));
  const chain = ids.map((id, i) => `${i === 0 ? 'in' : ids[i - 1]} -> ${id}`);
  return graph([input(3, 16, 16), ...convs, { id: 'x', type: 'DetectionHead', params }], [...chain, ...ids.map((id) => `${id} -> x`)]);
}

const cases: [string, GraphIR][] = [
  ['DetectionHead 1 level, K=3, A=3', pyramid({ classes: 3 }, 1)],
  ['DetectionHead 2 levels, K=1, A=2', pyramid({ classes: 1, anchorsPerCell: 2 }, 2)],
  ['DetectionHead 3 levels, K=5, A=3', pyramid({ classes: 5 })],
  ['SegmentationHead K=4', onFeatures({ type: 'SegmentationHead', params: { classes: 4 } })],
  ['SegmentationHead K=3 scale 4', onFeatures({ type: 'SegmentationHead', params: { classes: 3, scale: 4 } })],
  ['KeypointHeatmapHead J=5', onFeatures({ type: 'KeypointHeatmapHead', params: { joints: 5 } })],
];

describe('task heads compile to TF.js with the shapes and weights inference reports', () => {
  it.each(cases)('%s', (_title, g) => {
    const { model, report, heads } = compileGraph(g, tf);
    expect(report.ok).toBe(true);
    expect(report.outputs).toEqual(['x']);
    const outShape = report.nodes.find((n) => n.id === 'x')!.outShape!;
    expect((model.outputs[0].shape as number[]).slice(1)).toEqual(nhwc(outShape));
    expect((model.getLayer('x').outputShape as number[]).slice(1)).toEqual(nhwc(outShape));
    const trainable = model.trainableWeights.reduce((n, v) => n + size(v.shape), 0);
    expect(trainable).toBe(report.totals.params);
    expect(heads).toHaveLength(1);
    expect(heads[0]).toMatchObject({ node: 'x', outShape });
    const y = model.predict(tf.randomNormal([2, 16, 16, 3])) as tf.Tensor;
    expect(y.shape.slice(1)).toEqual(nhwc(outShape));
    expect(Number.isFinite(y.sum().dataSync()[0])).toBe(true);
    model.dispose();
  });

  it('DetectionHead lists level by level, cells row-major, anchors innermost', () => {
    const { model } = compileGraph(pyramid({ classes: 2, anchorsPerCell: 3 }, 2), tf);
    const convs = [0, 1].map((i) => model.getLayer(`x__conv${i}`).output as tf.SymbolicTensor);
    const probe = tf.model({ inputs: model.inputs, outputs: [model.outputs[0], ...convs] });
    const [out, c0, c1] = (probe.predict(tf.randomNormal([1, 16, 16, 3])) as tf.Tensor[]).map((t) => t.arraySync() as number[][][][]);
    const rows = out[0] as unknown as number[][];
    const a = 3;
    const v = 5 + 2;
    let row = 0;
    for (const level of [c0, c1]) {
      const grid = level[0];
      for (let y = 0; y < grid.length; y++) {
        for (let x = 0; x < grid[0].length; x++) {
          for (let k = 0; k < a; k++, row++) {
            for (let j = 0; j < v; j++) expect(rows[row][j]).toBeCloseTo(grid[y][x][k * v + j], 5);
          }
        }
      }
    }
    expect(row).toBe(rows.length);
    model.dispose();
  });

  it('the heads’ settings reach the compiled graph', () => {
    const { heads, model } = compileGraph(onFeatures({ type: 'SegmentationHead', params: { classes: 3, loss: 'ce', lossWeight: 0.5 } }), tf);
    expect(heads[0]).toMatchObject({ task: 'segmentation', loss: 'ce', lossWeight: 0.5, segmentation: { classes: 3, ignoreIndex: 255, scale: 1 } });
    model.dispose();
  });

  it('EmbeddingHead compiles to Linear then L2 normalisation: F·dim+dim weights, unit-length outputs', () => {
    const g = graph(
      [input(3, 16, 16), { id: 'f', type: 'Conv2d', params: { outChannels: 8 } }, { id: 'p', type: 'GlobalAvgPool', params: {} }, { id: 'x', type: 'EmbeddingHead', params: { dim: 4 } }],
      ['in -> f', 'f -> p', 'p -> x'],
    );
    const { model, report, heads } = compileGraph(g, tf);
    expect(report.nodes.find((n) => n.id === 'x')!.params).toBe(8 * 4 + 4);
    expect(model.trainableWeights.reduce((n, v) => n + size(v.shape), 0)).toBe(report.totals.params);
    expect(heads[0]).toMatchObject({ node: 'x', task: 'embedding', embedding: { dim: 4, normalized: true } });
    const y = model.predict(tf.randomNormal([3, 16, 16, 3])) as tf.Tensor;
    expect(y.shape).toEqual([3, 4]);
    for (const norm of y.norm('euclidean', 1).arraySync() as number[]) expect(norm).toBeCloseTo(1, 5);
    model.dispose();
  });
});

describe('task templates compile with the shapes and weights inference reports', () => {
  it.each(['unet_small', 'deeplab_small', 'yolo_fpn', 'keypoint_heatmap', 'multitask'])(
    '%s',
    (name) => {
      const { model, report, heads } = compileGraph(loadTemplate(name), tf);
      expect(model.trainableWeights.reduce((n, v) => n + size(v.shape), 0)).toBe(report.totals.params);
      expect(heads.map((h) => h.node)).toEqual(report.outputs);
      const ys = [model.predict(tf.zeros([1, 128, 128, 3]))].flat() as tf.Tensor[];
      expect(ys.map((y) => y.shape.slice(1))).toEqual(heads.map((h) => nhwc(h.outShape)));
      model.dispose();
    },
    30_000,
  );
});
