import { describe, expect, it } from 'vitest';
import { expandComposite, getBlock, inferGraph, type GraphIR } from '../../../../main/core';

type Step = [type: string, params: Record<string, unknown>];

/** A chain of blocks from an Input; ids are step numbers. */
function chain(input: [number, number, number], steps: Step[]): GraphIR {
  const nodes: GraphIR['nodes'] = [{ id: 'n0', type: 'Input', params: { channels: input[0], height: input[1], width: input[2] } }, ...steps.map(([type, params], i) => ({ id: `n${i + 1}`, type, params }))];
  const edges = nodes.slice(1).map((n, i) => ({ from: { node: nodes[i].id, port: 'out' }, to: { node: n.id, port: 'in' } }));
  return { version: 1, name: 'chain', nodes, edges, meta: {} };
}

const convBnAct = (out: number, kernel: number, stride: number, act: string, bias = false): Step[] => [
  ['Conv2d', { outChannels: out, kernel, stride, padding: (kernel - 1) / 2, bias }],
  ['BatchNorm', {}],
  [act, {}],
];

function params(graph: GraphIR): number {
  const report = inferGraph(graph);
  expect(report.errors).toEqual([]);
  return report.totals.params;
}

describe('networks assembled from composite blocks have the published parameter counts', () => {
  it('MobileNetV2 from InvertedResidual blocks: 3,504,872', () => {
    const settings = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1]];
    const blocks: Step[] = settings.flatMap(([t, c, n, s]) => Array.from({ length: n }, (_, i): Step => ['InvertedResidual', { outChannels: c, expandRatio: t, stride: i === 0 ? s : 1 }]));
    const steps: Step[] = [...convBnAct(32, 3, 2, 'ReLU6'), ...blocks, ...convBnAct(1280, 1, 1, 'ReLU6'), ['GlobalAvgPool', {}], ['Dropout', { rate: 0.2 }], ['ClassificationHead', { classes: 1000 }]];
    expect(params(chain([3, 224, 224], steps))).toBe(3_504_872);
  });

  it('EfficientNet-B0 from MBConv blocks with squeeze-excite: 5,288,548', () => {
    const stages = [[1, 3, 1, 16, 1], [6, 3, 2, 24, 2], [6, 5, 2, 40, 2], [6, 3, 2, 80, 3], [6, 5, 1, 112, 3], [6, 5, 2, 192, 4], [6, 3, 1, 320, 1]];
    const blocks: Step[] = stages.flatMap(([e, k, s, c, n]) =>
      Array.from({ length: n }, (_, i): Step => ['InvertedResidual', { outChannels: c, expandRatio: e, kernel: k, stride: i === 0 ? s : 1, activation: 'silu', se: 'input', seActivation: 'silu', seGate: 'sigmoid' }]),
    );
    const steps: Step[] = [...convBnAct(32, 3, 2, 'SiLU'), ...blocks, ...convBnAct(1280, 1, 1, 'SiLU'), ['GlobalAvgPool', {}], ['Dropout', { rate: 0.2 }], ['ClassificationHead', { classes: 1000 }]];
    expect(params(chain([3, 224, 224], steps))).toBe(5_288_548);
  });

  it('ViT-B/16 from TransformerEncoderBlocks: 86,567,656', () => {
    const steps: Step[] = [
      ['PatchEmbed', { patchSize: 16, dim: 768 }],
      ['ClassToken', {}],
      ['PositionEmbedding', {}],
      ...Array.from({ length: 12 }, (): Step => ['TransformerEncoderBlock', { heads: 12 }]),
      ['LayerNorm', { eps: 1e-6 }],
      ['SelectToken', {}],
      ['ClassificationHead', { classes: 1000 }],
    ];
    expect(params(chain([3, 224, 224], steps))).toBe(86_567_656);
  });

  it('ConvNeXt-T from ConvNeXtBlocks: 28,589,128', () => {
    const dims = [96, 192, 384, 768];
    const steps: Step[] = [['Conv2d', { outChannels: 96, kernel: 4, stride: 4, padding: 0 }], ['LayerNorm', { eps: 1e-6 }]];
    [3, 3, 9, 3].forEach((depth, stage) => {
      if (stage > 0) steps.push(['LayerNorm', { eps: 1e-6 }], ['Conv2d', { outChannels: dims[stage], kernel: 2, stride: 2, padding: 0 }]);
      for (let i = 0; i < depth; i++) steps.push(['ConvNeXtBlock', {}]);
    });
    steps.push(['GlobalAvgPool', {}], ['LayerNorm', { eps: 1e-6 }], ['ClassificationHead', { classes: 1000 }]);
    expect(params(chain([3, 224, 224], steps))).toBe(28_589_128);
  });
});

describe('InvertedResidual and ASPP by hand', () => {
  const ir = getBlock('InvertedResidual')!;
  it.each([
    // in, out, expandRatio, stride → residual add only when stride 1 and in = out
    [16, 16, 6, 1, true],
    [16, 24, 6, 2, false],
    [16, 16, 1, 2, false],
  ])('in %i out %i ×%i stride %i: residual %s', (cin, cout, t, stride, residual) => {
    const p = ir.params.parse({ outChannels: cout, expandRatio: t, stride });
    const hidden = cin * t;
    const expandParams = t === 1 ? 0 : cin * hidden + 2 * hidden;
    expect(ir.countParams({ in: [[cin, 8, 8]] }, p).params).toBe(expandParams + 9 * hidden + 2 * hidden + hidden * cout + 2 * cout);
    expect(ir.inferShape({ in: [[cin, 8, 8]] }, p)).toEqual([cout, 8 / stride, 8 / stride]);
    const subgraph = expandComposite('InvertedResidual', { outChannels: cout, expandRatio: t, stride }, { in: [[cin, 8, 8]] })!;
    expect(subgraph.nodes.some((n) => n.type === 'Add')).toBe(residual);
    expect(subgraph.nodes.some((n) => n.id === 'expand_conv')).toBe(t !== 1);
  });

  it('ASPP 64→32 at rates 2 and 3 on 16×16: branches, pooling and projection', () => {
    const aspp = getBlock('ASPP')!;
    const p = aspp.params.parse({ outChannels: 32, rates: [2, 3] });
    const bn = 2 * 32;
    const expected = 64 * 32 + bn + 2 * (9 * 64 * 32 + bn) + (64 * 32 + bn) + (4 * 32 * 32 + bn);
    expect(aspp.countParams({ in: [[64, 16, 16]] }, p)).toEqual({ params: expected, buffers: 5 * bn });
    expect(aspp.inferShape({ in: [[64, 16, 16]] }, p)).toEqual([32, 16, 16]);
  });
});
