import { describe, expect, it } from 'vitest';
import { openStore, type SamplePredictions } from '../../../main/store';
import { sampleGraph, tempStoreFile } from './helpers';

const newRun = { name: 'r', graph: sampleGraph(), hyperParams: {}, backend: 'cpu', seed: 1 };

const samplesAt = (epoch: number, probability: number): SamplePredictions => ({
  epoch,
  step: 10 * epoch + 9,
  head: 'head',
  predictions: [
    { index: 0, label: 3, top: [{ class: 3, probability }, { class: 1, probability: 1 - probability }] },
    { index: 1, label: 0, top: [{ class: 2, probability: 0.9 }] },
  ],
});

describe('sample predictions in the store', () => {
  it('keeps one JSON artefact per epoch and lists them back, oldest first, per run', () => {
    const store = openStore(tempStoreFile());
    const id = store.createRun(newRun);
    const other = store.createRun(newRun);
    store.addSamplePredictions(id, samplesAt(0, 0.4));
    store.addSamplePredictions(id, samplesAt(1, 0.7));
    store.addSamplePredictions(other, samplesAt(0, 0.5));
    expect(store.listSamplePredictions(id)).toEqual([samplesAt(0, 0.4), samplesAt(1, 0.7)]);
    expect(store.listSamplePredictions(other)).toEqual([samplesAt(0, 0.5)]);
    const [artefact] = store.listArtefacts(id, 'sample_predictions');
    expect(artefact).toMatchObject({ name: 'epoch-0000', path: null, meta: { epoch: 0, step: 9, head: 'head', images: 2 } });
    expect(JSON.parse(artefact.blob!.toString('utf8'))).toEqual(samplesAt(0, 0.4));
    store.close();
  });

  it('an epoch stored twice (replayed after a crash and resume) lists once, the later one', () => {
    const store = openStore(tempStoreFile());
    const id = store.createRun(newRun);
    store.addSamplePredictions(id, samplesAt(0, 0.4));
    store.addSamplePredictions(id, samplesAt(1, 0.6));
    store.addSamplePredictions(id, samplesAt(1, 0.65));
    expect(store.listSamplePredictions(id).map((s) => [s.epoch, s.predictions[0].top[0].probability])).toEqual([
      [0, 0.4],
      [1, 0.65],
    ]);
    store.close();
  });

  it('refuses malformed predictions and an unknown run; skips an unreadable artefact when listing', () => {
    const store = openStore(tempStoreFile());
    const id = store.createRun(newRun);
    expect(() => store.addSamplePredictions(id, { ...samplesAt(0, 0.4), epoch: -1 })).toThrow();
    expect(() => store.addSamplePredictions(id, { ...samplesAt(0, 1.5) })).toThrow();
    expect(() => store.addSamplePredictions('20260101-000000-abcd', samplesAt(0, 0.4))).toThrow(/No run/);
    store.addArtefact({ runId: id, kind: 'sample_predictions', name: 'broken', blob: new TextEncoder().encode('{not json') });
    store.addSamplePredictions(id, samplesAt(2, 0.5));
    expect(store.listSamplePredictions(id).map((s) => s.epoch)).toEqual([2]);
    store.close();
  });
});
