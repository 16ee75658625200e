import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../main/backend/selectBackend';
import { decodeCheckpoint } from '../../../main/train/checkpointFormat';
import { trainLoop, type LoopCheckpoint } from '../../../main/train/trainLoop';
import { compileTiny, tinyData, tinyHyperParams, tinyNet } from './checkpointFixtures';

beforeAll(async () => {
  await initBackend({ preferred: 'wasm', threads: 1 });
});

async function losses(epochs: number, resumeFrom?: Uint8Array): Promise<{ losses: Map<number, number>; last?: LoopCheckpoint }> {
  const compiled = compileTiny(tinyHyperParams.seed);
  const out = new Map<number, number>();
  let last: LoopCheckpoint | undefined;
  await trainLoop({
    tf,
    compiled,
    graph: tinyNet,
    data: tinyData(),
    hyperParams: { ...tinyHyperParams, epochs },
    resumeFrom: resumeFrom && decodeCheckpoint(tf, resumeFrom),
    onMetrics: (rows) => rows.filter((r) => r.name === 'train/loss').forEach((r) => out.set(r.step, r.value)),
    onCheckpoint: (cp) => void (last = cp),
  });
  compiled.model.dispose();
  return { losses: out, last };
}

describe('exact resume on the wasm backend (one thread)', () => {
  it('2 epochs + resume to 3 replays 3 epochs straight', async () => {
    const straight = await losses(3);
    const first = await losses(2);
    const resumed = await losses(3, first.last!.bytes);
    expect([...resumed.losses.keys()]).toEqual([6, 7, 8]);
    for (const [step, loss] of resumed.losses) expect(Math.abs(loss - straight.losses.get(step)!)).toBeLessThanOrEqual(1e-6);
  });
});
