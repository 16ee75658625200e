import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Of } from '../../../main/store/runFiles';
import { loadInitialWeights } from '../../../main/train/initialWeights';
import { TrainingInputError } from '../../../main/train/trainingErrors';
import { trainLoop } from '../../../main/train/trainLoop';
import { graph, input } from '../core/graphFixtures';
import { compileTiny, tinyData, tinyHyperParams, tinyNet, useCpu } from './checkpointFixtures';

/** tinyNet with a 5-class head: conv and bn transfer, the head does not. */
const fiveClasses = { ...tinyNet, nodes: tinyNet.nodes.map((n) => (n.id === 'head' ? { ...n, params: { classes: 5 } } : n)) };

let dir: string;
let checkpointFile: string;
let modelJson: string;
/** The source model's weights by name, as trained. */
let source: Map<string, number[]>;

beforeAll(async () => {
  await useCpu();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-weights-'));
  const compiled = compileTiny(4, fiveClasses);
  let bytes: Uint8Array | undefined;
  await trainLoop({ tf, compiled, graph: fiveClasses, data: tinyData(), hyperParams: { ...tinyHyperParams, epochs: 1 }, onCheckpoint: (cp) => void (bytes = cp.bytes) });
  checkpointFile = path.join(dir, 'epoch.ckpt');
  fs.writeFileSync(checkpointFile, bytes!);
  // The same weights as a TF.js layers model, written the way tf.io writes model.json and its shard.
  await compiled.model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      fs.writeFileSync(path.join(dir, 'group1-shard1of1.bin'), Buffer.from(artifacts.weightData as ArrayBuffer));
      fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ modelTopology: artifacts.modelTopology, weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: artifacts.weightSpecs }] }));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  modelJson = path.join(dir, 'model.json');
  source = new Map(compiled.model.weights.map((w) => [w.originalName, Array.from(w.read().dataSync())]));
  compiled.model.dispose();
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const checkpointSource = () => ({ kind: 'checkpoint' as const, runId: 'R', checkpointId: 1, which: 'best' as const, epoch: 0, path: checkpointFile, sha256: sha256Of(fs.readFileSync(checkpointFile)) });

describe('initial weights from another run or a TF.js model', () => {
  it.each([
    ['another run’s checkpoint', () => checkpointSource(), 'run R (best checkpoint, epoch 1)'],
    ['a TF.js layers model.json', () => ({ kind: 'layers-model' as const, path: modelJson }), () => modelJson],
  ])('%s: copies what fits by name and shape, reports the 5-class head as mismatched', (_what, spec, described) => {
    const compiled = compileTiny(9, tinyNet);
    const report = loadInitialWeights(tf, compiled.model, tinyNet, spec());
    expect(report.source).toBe(typeof described === 'function' ? described() : described);
    expect(report.total).toBe(compiled.model.weights.length);
    expect(report.matched).toBe(report.total - 2);
    expect(report.mismatched).toEqual([
      { name: 'head/kernel', targetShape: [4, 10], sourceShape: [4, 5] },
      { name: 'head/bias', targetShape: [10], sourceShape: [5] },
    ]);
    expect([report.missing, report.unused, report.ambiguous]).toEqual([[], [], []]);
    expect(report.pretrainedNodes).toEqual(['conv', 'bn']);
    for (const w of compiled.model.weights) {
      // The head keeps its own initial values (10 classes: nothing of the 5-class source's fits).
      if (w.originalName.startsWith('head/')) expect(w.read().size).toBe(w.originalName.endsWith('kernel') ? 40 : 10);
      else expect(Array.from(w.read().dataSync()), w.originalName).toEqual(source.get(w.originalName));
    }
    compiled.model.dispose();
  });

  it('refuses a source nothing in the model matches, naming both sides', () => {
    const other = graph([input(3, 8, 8), { id: 'c1', type: 'Conv2d', params: { outChannels: 4, kernel: 3, padding: 1 } }, { id: 'g', type: 'GlobalAvgPool', params: {} }, { id: 'h', type: 'ClassificationHead', params: { classes: 10 } }], ['in -> c1', 'c1 -> g', 'g -> h']);
    const compiled = compileTiny(1, other);
    expect(() => loadInitialWeights(tf, compiled.model, other, checkpointSource())).toThrow(TrainingInputError);
    expect(() => loadInitialWeights(tf, compiled.model, other, checkpointSource())).toThrow(/No weight of run R \(best checkpoint, epoch 1\) fits this model by name and shape \(the model's: c1\/kernel/);
    compiled.model.dispose();
  });

  it('refuses a checkpoint file that changed since it was recorded, and a model.json that is not one', () => {
    const compiled = compileTiny(1, tinyNet);
    expect(() => loadInitialWeights(tf, compiled.model, tinyNet, { ...checkpointSource(), sha256: '0'.repeat(64) })).toThrow(/has changed since it was written/);
    const notModel = path.join(dir, 'not-a-model.json');
    fs.writeFileSync(notModel, JSON.stringify({ format: 'graph-model' }));
    expect(() => loadInitialWeights(tf, compiled.model, tinyNet, { kind: 'layers-model', path: notModel })).toThrow(/is not a TF.js layers model with weights: weightsManifest/);
    compiled.model.dispose();
  });

  it('leaks no tensor', () => {
    const compiled = compileTiny(2, tinyNet);
    const before = tf.memory().numTensors;
    loadInitialWeights(tf, compiled.model, tinyNet, checkpointSource());
    loadInitialWeights(tf, compiled.model, tinyNet, { kind: 'layers-model', path: modelJson });
    expect(tf.memory().numTensors).toBe(before);
    compiled.model.dispose();
  });
});
