import { describe, expect, it } from 'vitest';
import { cliWorkspace, jsonLines } from './cliWorkspace';
import { openStore } from '../../../main/store/openStore';
import { tinyNet } from '../../unit/train/checkpointFixtures';

/** One step of 8 images on wasm, whatever the batch size. */
const TINY = ['--synthetic', '--backend', 'wasm', '--threads', '1', '--train-size', '8', '--val-size', '4'];
const RECIPE_BATCH = 2 ** 20;
/**
 * tinyNet keeps 1230 floats a sample (4920 bytes, ×7.5 = 36,900) over 2688 fixed bytes; wasm's
 * 3 GiB budget holds (3·2³⁰ − 2688) / 36,900 = 87,296 samples: the largest power of two is 65,536.
 */
const FITTING = 65_536;

const HUGE_BATCH_RECIPE = { epochs: 1, batchSize: RECIPE_BATCH, optimizer: 'adam', learningRate: 0.01, schedule: 'constant' };
const workspace = cliWorkspace('vb-batch-cap-', { ...tinyNet, meta: { ...tinyNet.meta, recipe: HUGE_BATCH_RECIPE } }, 'huge-batch.json');
const { cli } = workspace;

describe('train lowers a recipe batch size that does not fit in memory', () => {
  it('--json: batchSizeCapped {from, to, reason} on the started and summary lines; the run records the lowered batch', () => {
    const { code, stdout, stderr } = cli('train', workspace.graphFile, ...TINY, '--json');
    expect(code, stderr).toBe(0);
    const lines = jsonLines(stdout);
    const capped = { from: RECIPE_BATCH, to: FITTING, reason: expect.stringMatching(/needs about .* MB for training on wasm, over its budget of 3072 MB/) };
    expect(lines[0]).toMatchObject({ event: 'started', batchSizeCapped: capped });
    expect(lines.at(-1)).toMatchObject({ event: 'summary', status: 'finished', batchSizeCapped: capped });
    const store = openStore(workspace.storeFile);
    const recorded = store.getRun(lines[0].runId as string)!.hyperParams;
    expect(recorded.batchSize).toBe(FITTING);
    // Adam: the recipe's 0.01 scaled by √(65,536 / 2²⁰) = 1/4.
    expect(recorded.learningRate).toBeCloseTo(0.0025, 12);
    expect(lines[0].batchSizeCapped).toMatchObject({ reason: expect.stringMatching(/learning rate 0\.01 → 0\.0025 \(square-root scaling rule\)$/) });
    store.close();
  });

  it('keeps an explicit --lr when it lowers the batch', () => {
    const { code, stdout, stderr } = cli('train', workspace.graphFile, ...TINY, '--lr', '0.02', '--json');
    expect(code, stderr).toBe(0);
    const store = openStore(workspace.storeFile);
    expect(store.getRun(jsonLines(stdout)[0].runId as string)!.hyperParams.learningRate).toBe(0.02);
    store.close();
  });

  it('for people: one line on stderr', () => {
    const { code, stderr } = cli('train', workspace.graphFile, ...TINY);
    expect(code, stderr).toBe(0);
    expect(stderr.split('\n').filter((l) => l.startsWith('Batch size lowered'))).toEqual([
      expect.stringMatching(new RegExp(`^Batch size lowered from the recipe's ${RECIPE_BATCH} to ${FITTING} to fit in memory \\(batch ${RECIPE_BATCH} needs about`)),
    ]);
  });

  it('an explicit --batch is kept, with a warning', () => {
    const { code, stdout, stderr } = cli('train', workspace.graphFile, ...TINY, '--batch', String(RECIPE_BATCH), '--json');
    expect(code, stderr).toBe(0);
    const lines = jsonLines(stdout);
    expect(lines[0].batchSizeCapped).toBeUndefined();
    expect(lines.find((l) => l.event === 'warning')).toMatchObject({ message: expect.stringMatching(new RegExp(`^--batch ${RECIPE_BATCH} may not fit in memory`)) });
    const store = openStore(workspace.storeFile);
    expect(store.getRun(lines[0].runId as string)!.hyperParams.batchSize).toBe(RECIPE_BATCH);
    store.close();
  });
});
