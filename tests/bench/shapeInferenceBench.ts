/**
 * Shape inference time per template (DESIGN.md §6: < 10 ms for ResNet-50, < 30 ms for
 * ViT-B/16): the median of 21 runs, the first included, since the editor re-infers on every edit.
 */
import { inferGraph } from '../../main/core';
import { listTemplates, loadTemplate } from '../../main/templates/templateLibrary';
import { median } from './summarize';

const REPEATS = 21;

export function shapeInferenceTimes(): { template: string; nodes: number; medianMs: number }[] {
  return listTemplates().map(({ name }) => {
    const graph = loadTemplate(name);
    const times: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const t0 = performance.now();
      inferGraph(graph);
      times.push(performance.now() - t0);
    }
    return { template: name, nodes: graph.nodes.length, medianMs: Number(median(times).toFixed(3)) };
  });
}
