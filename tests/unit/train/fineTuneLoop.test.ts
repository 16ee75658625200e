import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HyperParams } from '../../../main/train/protocol';
import { trainLoop, type MetricRow, type PhaseEvent } from '../../../main/train/trainLoop';
import { compileTiny, tinyData, tinyHyperParams, tinyNet, useCpu } from './checkpointFixtures';

beforeAll(useCpu);

const h: HyperParams = { ...tinyHyperParams, epochs: 3, fineTune: { epochsPerPhase: [1, 1, 1] } };

/** Trains tinyNet through the phases, snapshotting every weight as each phase begins and at the end. */
async function fineTune(options: { pretrainedNodes?: string[] } = {}) {
  const compiled = compileTiny(h.seed);
  const read = () => new Map(compiled.model.weights.map((w) => [w.originalName, Array.from(w.read().dataSync())]));
  const phases: PhaseEvent[] = [];
  const snapshots: Map<string, number[]>[] = [];
  const rows: MetricRow[] = [];
  const progressPhases = new Set<string>();
  await trainLoop({
    tf,
    compiled,
    graph: tinyNet,
    data: tinyData(),
    hyperParams: h,
    ...options,
    onPhase: (p) => {
      phases.push(p);
      snapshots.push(read());
    },
    onMetrics: (r) => rows.push(...r),
    onProgress: (p) => progressPhases.add(JSON.stringify(p.phase)),
  });
  snapshots.push(read());
  compiled.model.dispose();
  return { phases, snapshots, rows, progressPhases };
}

const changed = (a: Map<string, number[]>, b: Map<string, number[]>, name: string) => JSON.stringify(a.get(name)) !== JSON.stringify(b.get(name));

describe('the three-phase fine-tune in one run', () => {
  it('head, top, all: each phase its rate and trainable nodes, frozen ones untouched (BatchNorm statistics included)', async () => {
    const { phases, snapshots, rows, progressPhases } = await fineTune();
    // The backbone guessed from the graph: conv and bn (feature maps the head depends on); the top quarter of it: bn.
    expect(phases.map((p) => [p.name, p.firstEpoch, p.endEpoch, p.learningRate, p.trainableNodes, p.frozenNodes, p.resumed])).toEqual([
      ['head', 0, 1, 0.01, ['head'], ['conv', 'bn'], false],
      ['top', 1, 2, 0.01, ['bn', 'head'], ['conv'], false],
      ['all', 2, 3, 0.001, ['conv', 'bn', 'head'], [], false],
    ]);
    const [head, top, all, end] = snapshots;
    for (const w of ['conv/kernel', 'bn/gamma', 'bn/moving_mean', 'bn/moving_variance']) expect(changed(head, top, w), `${w} in phase head`).toBe(false);
    expect(changed(head, top, 'head/kernel')).toBe(true);
    expect(changed(top, all, 'conv/kernel')).toBe(false);
    for (const w of ['bn/gamma', 'bn/moving_mean', 'head/kernel']) expect(changed(top, all, w), `${w} in phase top`).toBe(true);
    for (const w of ['conv/kernel', 'bn/gamma', 'head/kernel']) expect(changed(all, end, w), `${w} in phase all`).toBe(true);
    const rates = rows.filter((r) => r.name === 'train/lr').map((r) => r.value);
    expect(rates).toEqual([0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.001, 0.001, 0.001]);
    expect(rows.filter((r) => r.name === 'train/phase').map((r) => [r.step, r.value])).toEqual([[0, 0], [3, 1], [6, 2]]);
    expect([...progressPhases]).toEqual(['head', 'top', 'all'].map((name, index) => JSON.stringify({ index, name, count: 3 })));
  });

  it('takes the loaded nodes for the backbone when told which were pretrained', async () => {
    const { phases } = await fineTune({ pretrainedNodes: ['conv'] });
    expect(phases.map((p) => [p.name, p.trainableNodes])).toEqual([
      ['head', ['bn', 'head']],
      ['top', ['conv', 'bn', 'head']],
      ['all', ['conv', 'bn', 'head']],
    ]);
  });
});
