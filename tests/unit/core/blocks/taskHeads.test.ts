import { describe, expect, it } from 'vitest';
import { getBlock, inferGraph } from '../../../../main/core';
import { graph, input } from '../graphFixtures';
import { expectShapeError } from './shapeErrorMatch';

describe('DetectionHead', () => {
  const det = getBlock('DetectionHead')!;
  // Three pyramid levels of a 128×128 input at strides 8/16/32 with different widths.
  const pyramid = [
    [32, 16, 16],
    [64, 8, 8],
    [128, 4, 4],
  ];
  const cases: [number[][], number, number][] = [];
  for (const levels of [pyramid.slice(0, 1), pyramid.slice(0, 2), pyramid]) for (const k of [1, 3, 80]) for (const a of [1, 3, 9]) cases.push([levels, k, a]);

  it.each(cases)('levels %j, K=%i, A=%i: [Σ H·W·A, 5+K], a 1×1 conv with bias per level', (levels, k, a) => {
    const p = det.params.parse({ classes: k, anchorsPerCell: a });
    const anchors = levels.reduce((n, l) => n + l[1] * l[2] * a, 0);
    expect(det.inferShape({ in: levels }, p)).toEqual([anchors, 5 + k]);
    let params = 0;
    let flops = 0;
    for (const [c, h, w] of levels) {
      params += c * a * (5 + k) + a * (5 + k);
      flops += h * w * (2 * c * a * (5 + k) + a * (5 + k));
    }
    expect(det.countParams({ in: levels }, p)).toEqual({ params, buffers: 0 });
    expect(det.countFlops({ in: levels }, [anchors, 5 + k], p)).toBe(flops);
  });

  it('the three-level 128×128 pyramid with 3 anchors and 3 classes gives 1008 anchors of 8 values', () => {
    const p = det.params.parse({ classes: 3 });
    expect(det.inferShape({ in: pyramid }, p)).toEqual([(256 + 64 + 16) * 3, 8]);
  });

  it('defaults: 3 anchors, delta_xywh, focal + smooth_l1, weight 1; head info is plain data', () => {
    const p = det.params.parse({ classes: 2 });
    expect(p).toMatchObject({ anchorsPerCell: 3, boxCoding: 'delta_xywh', classLoss: 'focal', boxLoss: 'smooth_l1', lossWeight: 1 });
    const info = det.head!(p);
    expect(info).toEqual({
      task: 'detection',
      loss: 'focal+smooth_l1',
      lossWeight: 1,
      detection: { classes: 2, anchorsPerCell: 3, boxCoding: 'delta_xywh', classLoss: 'focal', boxLoss: 'smooth_l1' },
    });
    expect(JSON.parse(JSON.stringify(info))).toEqual(info);
  });

  it('carries anchor sizes per level into the head info', () => {
    const anchorSizes = [[[10, 13], [16, 30]], [[33, 23], [30, 61]]];
    const p = det.params.parse({ classes: 1, anchorsPerCell: 2, anchorSizes, boxLoss: 'ciou', classLoss: 'bce', lossWeight: 2 });
    expect(det.inferShape({ in: pyramid.slice(0, 2) }, p)).toEqual([(256 + 64) * 2, 6]);
    expect(det.head!(p)).toMatchObject({ loss: 'bce+ciou', lossWeight: 2, detection: { anchorSizes } });
  });

  it('a level that is not [C,H,W] is a shape_mismatch naming the level', () => {
    expectShapeError(() => det.inferShape({ in: [[32, 16, 16], [64]] }, det.params.parse({ classes: 3 })), 'shape_mismatch', 'DetectionHead (level 1) expects a feature map [C,H,W] per pyramid level (rank 3) but got [64]');
  });

  it('anchorSizes must have one entry per level and anchorsPerCell sizes each', () => {
    const two = [[[10, 10], [20, 20], [30, 30]], [[40, 40], [50, 50], [60, 60]]];
    expectShapeError(() => det.inferShape({ in: pyramid }, det.params.parse({ classes: 3, anchorSizes: two })), 'invalid_param', 'anchorSizes lists 2 levels but 3 feature maps are connected');
    expectShapeError(() => det.inferShape({ in: pyramid.slice(0, 2) }, det.params.parse({ classes: 3, anchorsPerCell: 2, anchorSizes: two })), 'invalid_param', 'anchorSizes level 0 has 3 sizes but anchorsPerCell is 2');
  });

  it('rejects unknown keys, zero classes and unknown losses', () => {
    expect(det.params.safeParse({ classes: 3, iou: 0.5 }).success).toBe(false);
    expect(det.params.safeParse({ classes: 0 }).success).toBe(false);
    expect(det.params.safeParse({ classes: 3, boxLoss: 'l2' }).success).toBe(false);
    expect(det.params.safeParse({ classes: 3, boxCoding: 'ltrb' }).success).toBe(false);
  });

  it('takes its levels as several edges into one port, in edge order, within a graph', () => {
    const g = graph(
      [
        input(3, 64, 64),
        { id: 'c8', type: 'Conv2d', params: { outChannels: 16, kernel: 3, stride: 8 } },
        { id: 'c16', type: 'Conv2d', params: { outChannels: 24, kernel: 3, stride: 2 } },
        { id: 'det', type: 'DetectionHead', params: { classes: 4, anchorsPerCell: 2 } },
      ],
      ['in -> c8', 'c8 -> c16', 'c8 -> det', 'c16 -> det'],
    );
    const report = inferGraph(g);
    expect(report.errors).toEqual([]);
    const det8 = 16 * 2 * 9 + 2 * 9;
    const det16 = 24 * 2 * 9 + 2 * 9;
    expect(report.nodes.at(-1)).toMatchObject({ id: 'det', outShape: [(64 + 16) * 2, 9], params: det8 + det16 });
  });
});

describe('SegmentationHead', () => {
  const seg = getBlock('SegmentationHead')!;
  const cases: [number, number, number, number, number][] = [];
  for (const c of [16, 64]) for (const [h, w] of [[32, 32], [16, 24]]) for (const k of [2, 4, 21]) for (const s of [1, 2, 4]) cases.push([c, h, w, k, s]);

  it.each(cases)('C=%i H=%i W=%i K=%i scale=%i: [K,H·s,W·s], C·K+K params', (c, h, w, k, s) => {
    const p = seg.params.parse({ classes: k, scale: s });
    const out = [k, h * s, w * s];
    expect(seg.inferShape({ in: [[c, h, w]] }, p)).toEqual(out);
    expect(seg.countParams({ in: [[c, h, w]] }, p)).toEqual({ params: c * k + k, buffers: 0 });
    const conv = h * w * (2 * c * k + k);
    expect(seg.countFlops({ in: [[c, h, w]] }, out, p)).toBe(conv + (s > 1 ? 8 * k * h * s * w * s : 0));
  });

  it('defaults to dice_ce, ignoreIndex 255, weight 1; head info says so', () => {
    const p = seg.params.parse({ classes: 4 });
    expect(seg.head!(p)).toEqual({ task: 'segmentation', loss: 'dice_ce', lossWeight: 1, segmentation: { classes: 4, ignoreIndex: 255, scale: 1 } });
    expect(seg.head!(seg.params.parse({ classes: 2, loss: 'ce', ignoreIndex: 0, lossWeight: 0.5 }))).toMatchObject({ loss: 'ce', lossWeight: 0.5, segmentation: { ignoreIndex: 0 } });
  });

  it('refuses a vector input, one class, a fractional scale and unknown keys', () => {
    expectShapeError(() => seg.inferShape({ in: [[64]] }, seg.params.parse({ classes: 3 })), 'shape_mismatch', 'SegmentationHead expects a feature map [C,H,W] (rank 3) but got [64]');
    expect(seg.params.safeParse({ classes: 1 }).success).toBe(false);
    expect(seg.params.safeParse({ classes: 3, scale: 1.5 }).success).toBe(false);
    expect(seg.params.safeParse({ classes: 3, upsampleTo: 'input' }).success).toBe(false);
  });
});

describe('KeypointHeatmapHead', () => {
  const kp = getBlock('KeypointHeatmapHead')!;
  it.each([
    [32, 32, 32, 5],
    [64, 16, 12, 17],
    [8, 1, 1, 1],
  ])('C=%i H=%i W=%i J=%i: [J,H,W], C·J+J params', (c, h, w, j) => {
    const p = kp.params.parse({ joints: j });
    expect(kp.inferShape({ in: [[c, h, w]] }, p)).toEqual([j, h, w]);
    expect(kp.countParams({ in: [[c, h, w]] }, p)).toEqual({ params: c * j + j, buffers: 0 });
    expect(kp.countFlops({ in: [[c, h, w]] }, [j, h, w], p)).toBe(h * w * (2 * c * j + j));
  });

  it('head info: keypoints, mse, sigma 2 by default', () => {
    expect(kp.head!(kp.params.parse({ joints: 5 }))).toEqual({ task: 'keypoints', loss: 'mse', lossWeight: 1, keypoints: { joints: 5, sigma: 2 } });
  });

  it('refuses a vector input and zero joints', () => {
    expectShapeError(() => kp.inferShape({ in: [[64]] }, kp.params.parse({ joints: 5 })), 'shape_mismatch', 'KeypointHeatmapHead expects a feature map [C,H,W]');
    expect(kp.params.safeParse({ joints: 0 }).success).toBe(false);
    expect(kp.params.safeParse({ joints: 5, sigma: 0 }).success).toBe(false);
  });
});

describe('EmbeddingHead', () => {
  const emb = getBlock('EmbeddingHead')!;
  it.each([
    [64, 64],
    [512, 128],
    [7, 3],
  ])('F=%i dim=%i: [dim], F·dim+dim params', (f, d) => {
    const p = emb.params.parse({ dim: d });
    expect(emb.inferShape({ in: [[f]] }, p)).toEqual([d]);
    expect(emb.countParams({ in: [[f]] }, p)).toEqual({ params: f * d + d, buffers: 0 });
    expect(emb.countFlops({ in: [[f]] }, [d], p)).toBe(2 * f * d + d + 3 * d);
  });

  it('head info: triplet with margin 0.2 by default, normalised; contrastive when asked', () => {
    expect(emb.head!(emb.params.parse({ dim: 64 }))).toEqual({ task: 'embedding', loss: 'triplet', lossWeight: 1, embedding: { dim: 64, margin: 0.2, normalized: true } });
    expect(emb.head!(emb.params.parse({ loss: 'contrastive', margin: 1 }))).toMatchObject({ loss: 'contrastive', embedding: { dim: 128, margin: 1 } });
  });

  it('refuses an image input (pool first) and a margin above 2', () => {
    expectShapeError(() => emb.inferShape({ in: [[64, 4, 4]] }, emb.params.parse({})), 'shape_mismatch', 'EmbeddingHead expects a feature vector [F] (add GlobalAvgPool before it) (rank 1) but got [64,4,4]');
    expect(emb.params.safeParse({ margin: 3 }).success).toBe(false);
    expect(emb.params.safeParse({ loss: 'arcface' }).success).toBe(false);
  });

  it('has a TF.js builder (the engine’s L2Normalize layer, injected as ctx.layers)', () => {
    expect(emb.build).toBeDefined();
  });
});

it('all four heads are registered in the head category', () => {
  for (const type of ['DetectionHead', 'SegmentationHead', 'KeypointHeatmapHead', 'EmbeddingHead']) {
    expect(getBlock(type)?.category, type).toBe('head');
    expect(getBlock(type)?.head, type).toBeTypeOf('function');
  }
});
