import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../../../main/compile/compileGraph';
import { inferGraph, type GraphIR } from '../../../../main/core';

const edge = (from: string, to: string, fromPort = 'out', toPort = 'in') => ({ from: { node: from, port: fromPort }, to: { node: to, port: toPort } });

/** Three strided convs give c3 (16×16), c4 (8×8), c5 (4×4); an FPN joins them; a DetectionHead reads p3..p5. */
function detector(fpnChannels: number): GraphIR {
  return {
    version: 1,
    name: 'fpn-detector',
    nodes: [
      { id: 'in', type: 'Input', params: { channels: 3, height: 64, width: 64 } },
      { id: 'c3', type: 'Conv2d', params: { outChannels: 8, kernel: 3, stride: 4, padding: 1 } },
      { id: 'c4', type: 'Conv2d', params: { outChannels: 16, kernel: 3, stride: 2, padding: 1 } },
      { id: 'c5', type: 'Conv2d', params: { outChannels: 32, kernel: 3, stride: 2, padding: 1 } },
      { id: 'fpn', type: 'FPN', params: { channels: fpnChannels } },
      { id: 'det', type: 'DetectionHead', params: { classes: 2, anchorsPerCell: 3 } },
    ],
    edges: [
      edge('in', 'c3'),
      edge('c3', 'c4'),
      edge('c4', 'c5'),
      edge('c3', 'fpn', 'out', 'c3'),
      edge('c4', 'fpn', 'out', 'c4'),
      edge('c5', 'fpn', 'out', 'c5'),
      edge('fpn', 'det', 'p3'),
      edge('fpn', 'det', 'p4'),
      edge('fpn', 'det', 'p5'),
    ],
    meta: {},
  };
}

describe('FPN, a block with several outputs', () => {
  it('gives every level its shape and counts its weights by hand', () => {
    const report = inferGraph(detector(12));
    expect(report.errors).toEqual([]);
    const fpn = report.nodes.find((n) => n.id === 'fpn')!;
    expect(fpn.outShapes).toEqual({ p3: [12, 16, 16], p4: [12, 8, 8], p5: [12, 4, 4] });
    expect(fpn.outShape).toEqual([12, 16, 16]);
    // laterals: 1×1 convs with bias from 8, 16 and 32 channels; smoothing: three 3×3 convs 12→12 with bias
    expect(fpn.params).toBe(8 * 12 + 12 + (16 * 12 + 12) + (32 * 12 + 12) + 3 * (9 * 12 * 12 + 12));
    // the head sees all three levels: (256 + 64 + 16) cells × 3 anchors, 4 + 1 + 2 values each
    expect(report.nodes.at(-1)!.outShape).toEqual([(256 + 64 + 16) * 3, 7]);
  });

  it('refuses an edge from a port it does not have', () => {
    const g = detector(12);
    g.edges[6] = edge('fpn', 'det', 'p6');
    expect(inferGraph(g).errors).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'unknown_port', node: 'fpn', port: 'p6' })]));
  });

  it('compiles: the head receives the three pyramid levels', async () => {
    await tf.setBackend('cpu');
    const { model, report } = compileGraph(detector(12), tf);
    expect(model.getLayer('fpn.smooth4').outputShape).toEqual([null, 8, 8, 12]);
    expect(model.outputs[0].shape).toEqual([null, (256 + 64 + 16) * 3, 7]);
    const weights = model.trainableWeights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
    expect(weights).toBe(report.totals.params);
    const y = model.predict(tf.ones([1, 64, 64, 3])) as tf.Tensor;
    expect(y.shape).toEqual([1, 1008, 7]);
    model.dispose();
  });
});
