import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../main/cli/output';
import type { GraphIR } from '../../../main/core';
import { checkTrainable, resolveHyperParams, type TrainingFlags } from '../../../main/cli/trainSettings';
import { graph, input } from '../../unit/core/graphFixtures';
import { tinyNet, twoHeadNet } from '../../unit/train/checkpointFixtures';

const withRecipe: GraphIR = { ...tinyNet, meta: { recipe: { epochs: 7, batchSize: 16, optimizer: 'sgd', learningRate: 0.05, schedule: 'cosine', weightDecay: 1e-4, augmentation: [] } } };

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as InvalidInputError).details as string[];
  }
  throw new Error('expected a refusal');
}

describe('train flags to hyper-parameters', () => {
  it('leaves the recipe’s defaults alone and adds nothing unasked', () => {
    expect(resolveHyperParams(withRecipe, {})).toEqual({ epochs: 7, batchSize: 16, optimizer: 'sgd', learningRate: 0.05, schedule: 'cosine', weightDecay: 1e-4, seed: 1 });
  });

  it('reads every new flag', () => {
    const flags: TrainingFlags = {
      clipValue: 0.5,
      labelSmoothing: 0.1,
      lrMult: 'conv=0.1, bn=0',
      earlyStop: 'val/top1:4',
      earlyStopMinDelta: 0.01,
      schedule: 'reduce-on-plateau',
      plateauPatience: 2,
      plateauFactor: 0.5,
      plateauMetric: 'val/top1:max',
      lossWeighting: 'uncertainty',
    };
    expect(resolveHyperParams(tinyNet, flags)).toMatchObject({
      clipValue: 0.5,
      labelSmoothing: 0.1,
      lrMultipliers: { conv: 0.1, bn: 0 },
      earlyStopping: { metric: 'val/top1', mode: 'max', patience: 4, minDelta: 0.01 },
      schedule: 'reduce-on-plateau',
      plateau: { metric: 'val/top1', mode: 'max', factor: 0.5, patience: 2 },
      lossWeighting: 'uncertainty',
    });
  });

  it.each([
    ['val/loss:3', { metric: 'val/loss', mode: 'min', patience: 3, minDelta: 0 }],
    ['val/top1:3', { metric: 'val/top1', mode: 'max', patience: 3, minDelta: 0 }],
    ['val/loss:3:max', { metric: 'val/loss', mode: 'max', patience: 3, minDelta: 0 }],
  ])('--early-stop %s', (earlyStop, expected) => {
    expect(resolveHyperParams(tinyNet, { earlyStop }).earlyStopping).toEqual(expected);
  });

  it('reduce-on-plateau defaults to PyTorch’s factor 0.1 and patience 10 on val/loss', () => {
    expect(resolveHyperParams(tinyNet, { schedule: 'reduce-on-plateau' }).plateau).toEqual({ metric: 'val/loss', factor: 0.1, patience: 10 });
  });

  it.each([
    [{ fineTune: true }, [5, 10, 5], 20],
    [{ fineTune: true, epochs: 8 }, [2, 4, 2], 8],
    [{ fineTune: true, epochs: 5 }, [1, 3, 1], 5],
    [{ fineTune: true, fineTuneEpochs: '1,0,2' }, [1, 0, 2], 3],
    [{ fineTune: true, fineTuneEpochs: '1,0,2', epochs: 3 }, [1, 0, 2], 3],
  ] as [TrainingFlags, number[], number][])('--fine-tune %j: phases %j, %i epochs', (flags, phases, epochs) => {
    expect(resolveHyperParams(withRecipe, flags)).toMatchObject({ fineTune: { epochsPerPhase: phases }, epochs });
  });

  it.each([
    [{ earlyStop: 'val/loss:x' }, /^--early-stop must look like/],
    [{ earlyStop: 'val/loss:2:best' }, /^--early-stop must look like/],
    [{ earlyStop: 'loss:2' }, /^--early-stop must look like.*metric: a metric name such as val\/top1/],
    [{ earlyStopMinDelta: 0.1 }, /^--early-stop-min-delta applies to --early-stop only$/],
    [{ lrMult: 'conv' }, /^--lr-mult: "conv" must look like NODE=MULTIPLIER/],
    [{ lrMult: 'conv=1,conv=2' }, /^--lr-mult: node "conv" is given twice$/],
    [{ lrMult: ',' }, /^--lr-mult: no NODE=MULTIPLIER entries in ","$/],
    [{ schedule: 'reduce-on-plateau', plateauMetric: 'val/loss:down' }, /^--plateau-metric must look like/],
    [{ schedule: 'reduce-on-plateau', plateauPatience: -1 }, /^--plateau-patience: Too small/],
    [{ schedule: 'sometimes' }, /^--schedule: Invalid option/],
    [{ fineTune: true, fineTuneEpochs: '0,0,0' }, /^--fine-tune-epochs must be three whole numbers, not all 0/],
  ] as [TrainingFlags, RegExp][])('refuses %j, naming the flag', (flags, message) => {
    const problems = problemsOf(() => resolveHyperParams(tinyNet, flags));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });
});

describe('what the trainer would refuse, refused before it starts', () => {
  it('a graph with an embedding head, naming the head and its task', () => {
    const g = graph(
      [input(3, 8, 8), { id: 'conv', type: 'Conv2d', params: { outChannels: 4 } }, { id: 'gap', type: 'GlobalAvgPool', params: {} }, { id: 'emb', type: 'EmbeddingHead', params: { dim: 8 } }],
      ['in -> conv', 'conv -> gap', 'gap -> emb'],
    );
    expect(problemsOf(() => checkTrainable(g, resolveHyperParams(g, {})))[0]).toMatch(/head "emb" \(EmbeddingHead, task embedding, loss \w+\) cannot be trained yet/);
  });

  it('monitored metrics the run does not log; a two-head run logs each head’s val/loss', () => {
    const h = resolveHyperParams(tinyNet, { earlyStop: 'val/loss/head_a:2', schedule: 'reduce-on-plateau', plateauMetric: 'val/mIoU' });
    expect(problemsOf(() => checkTrainable(tinyNet, h, { name: 'val/top5', mode: 'max' }))).toEqual([
      expect.stringMatching(/^--early-stop val\/loss\/head_a is not one this run logs/),
      expect.stringMatching(/^--plateau-metric val\/mIoU is not one this run logs/),
    ]);
    expect(() => checkTrainable(twoHeadNet, resolveHyperParams(twoHeadNet, { earlyStop: 'val/loss/head_a:2' }))).not.toThrow();
  });
});
