import { readFileSync } from 'node:fs';
import { parseGraph, type GraphIR, type MetricSeries, type RunDetail } from '../../../main/core';
import { MemoryHost } from '../../../renderer/src/host/MemoryHost';

export function loadTemplate(name: string): GraphIR {
  const parsed = parseGraph(readFileSync(new URL(`../../../templates/${name}.json`, import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error(`template ${name}: ${parsed.errors[0].message}`);
  return parsed.graph;
}

export function finishedRun(graph: GraphIR, id = 'run-1'): RunDetail {
  return {
    id,
    name: `${graph.name} #1`,
    status: 'finished',
    backend: 'wasm ×2 threads',
    createdAt: '2026-01-02T10:00:00.000Z',
    finishedAt: '2026-01-02T10:05:00.000Z',
    epochs: 2,
    metrics: { 'train/loss': 0.9, 'val/loss': 1.1, 'val/top1': 0.625 },
    error: null,
    graph,
    hyperParams: { epochs: 2 },
    imagesPerSecond: 20,
  };
}

export function lossSeries(): MetricSeries[] {
  return [
    { name: 'train/loss', points: [1, 2, 3, 4].map((step) => ({ step, epoch: step <= 2 ? 0 : 1, value: 2.3 / step })) },
    { name: 'val/loss', points: [{ step: 2, epoch: 0, value: 1.6 }, { step: 4, epoch: 1, value: 1.1 }] },
  ];
}

export function memoryHost(): MemoryHost {
  const tiny = loadTemplate('tiny_resnet');
  const run = finishedRun(tiny);
  return new MemoryHost({
    templates: [tiny, loadTemplate('resnet18')],
    runs: [run],
    metrics: { [run.id]: lossSeries() },
    backend: { name: 'wasm', threads: 2, label: 'wasm ×2 threads' },
  });
}
