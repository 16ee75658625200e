import { describe, expect, it } from 'vitest';
import { applyOverrides, inferGraph, parseInputShape } from '../../../main/core';
import { loadTemplate } from '../../../main/templates/templateLibrary';

describe('parseInputShape', () => {
  it.each([
    ['3x224x224', [3, 224, 224]],
    ['1×28×28', [1, 28, 28]],
    ['3X96X64', [3, 96, 64]],
  ])('%s → %j', (text, shape) => expect(parseInputShape(text)).toEqual(shape));

  it.each(['3x224', '3x0x4', 'axbxc', '3x2.5x4', ''])('refuses %j', (text) => expect(parseInputShape(text)).toBeNull());
});

describe('applyOverrides', () => {
  it('resizes resnet50 to 3×96×96 and 10 classes: only the head loses parameters', () => {
    const graph = applyOverrides(loadTemplate('resnet50'), { input: [3, 96, 96], classes: 10 });
    const report = inferGraph(graph);
    expect(report.errors).toEqual([]);
    expect(report.nodes[0].outShape).toEqual([3, 96, 96]);
    expect(report.nodes.at(-1)!.outShape).toEqual([10]);
    // The head shrinks from 2048·1000 + 1000 to 2048·10 + 10; nothing else depends on the input size.
    expect(report.totals.params).toBe(25_557_032 - (2048 * 1000 + 1000) + (2048 * 10 + 10));
  });

  it('leaves the original graph untouched', () => {
    const original = loadTemplate('tiny_resnet');
    const copy = structuredClone(original);
    applyOverrides(original, { input: [1, 32, 32], classes: 3 });
    expect(original).toEqual(copy);
  });
});
