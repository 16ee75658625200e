import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../main/store/openStore';
import { tinyNet } from '../../unit/train/checkpointFixtures';

const BIN = path.resolve('bin/visionbench.mjs');
/** One step of 8 images on wasm, whatever the batch size. */
const TINY = ['--synthetic', '--backend', 'wasm', '--threads', '1', '--train-size', '8', '--val-size', '4'];
const RECIPE_BATCH = 2 ** 20;
/**
 * tinyNet keeps 1230 floats a sample (4920 bytes, ×7.5 = 36,900) over 2688 fixed bytes; wasm's
 * 3 GiB budget holds (3·2³⁰ − 2688) / 36,900 = 87,296 samples: the largest power of two is 65,536.
 */
const FITTING = 65_536;

let dir: string;
let storeFile: string;
let graphFile: string;

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args, '--store', storeFile], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
const jsonLines = (stdout: string) => stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-batch-cap-'));
  storeFile = path.join(dir, 'store.sqlite');
  graphFile = path.join(dir, 'huge-batch.json');
  const recipe = { epochs: 1, batchSize: RECIPE_BATCH, optimizer: 'adam', learningRate: 0.01, schedule: 'constant' };
  fs.writeFileSync(graphFile, JSON.stringify({ ...tinyNet, meta: { ...tinyNet.meta, recipe } }));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('train lowers a recipe batch size that does not fit in memory', () => {
  it('--json: batchSizeCapped {from, to, reason} on the started and summary lines; the run records the lowered batch', () => {
    const { code, stdout, stderr } = cli('train', graphFile, ...TINY, '--json');
    expect(code, stderr).toBe(0);
    const lines = jsonLines(stdout);
    const capped = { from: RECIPE_BATCH, to: FITTING, reason: expect.stringMatching(/needs about .* MB for training on wasm, over its budget of 3072 MB/) };
    expect(lines[0]).toMatchObject({ event: 'started', batchSizeCapped: capped });
    expect(lines.at(-1)).toMatchObject({ event: 'summary', status: 'finished', batchSizeCapped: capped });
    const store = openStore(storeFile);
    const recorded = store.getRun(lines[0].runId as string)!.hyperParams;
    expect(recorded.batchSize).toBe(FITTING);
    // Adam: the recipe's 0.01 scaled by √(65,536 / 2²⁰) = 1/4.
    expect(recorded.learningRate).toBeCloseTo(0.0025, 12);
    expect(lines[0].batchSizeCapped).toMatchObject({ reason: expect.stringMatching(/learning rate 0\.01 → 0\.0025 \(square-root scaling rule\)$/) });
    store.close();
  });

  it('keeps an explicit --lr when it lowers the batch', () => {
    const { code, stdout, stderr } = cli('train', graphFile, ...TINY, '--lr', '0.02', '--json');
    expect(code, stderr).toBe(0);
    const store = openStore(storeFile);
    expect(store.getRun(jsonLines(stdout)[0].runId as string)!.hyperParams.learningRate).toBe(0.02);
    store.close();
  });

  it('for people: one line on stderr', () => {
    const { code, stderr } = cli('train', graphFile, ...TINY);
    expect(code, stderr).toBe(0);
    expect(stderr.split('\n').filter((l) => l.startsWith('Batch size lowered'))).toEqual([
      expect.stringMatching(new RegExp(`^Batch size lowered from the recipe's ${RECIPE_BATCH} to ${FITTING} to fit in memory \\(batch ${RECIPE_BATCH} needs about`)),
    ]);
  });

  it('an explicit --batch is kept, with a warning', () => {
    const { code, stdout, stderr } = cli('train', graphFile, ...TINY, '--batch', String(RECIPE_BATCH), '--json');
    expect(code, stderr).toBe(0);
    const lines = jsonLines(stdout);
    expect(lines[0].batchSizeCapped).toBeUndefined();
    expect(lines.find((l) => l.event === 'warning')).toMatchObject({ message: expect.stringMatching(new RegExp(`^--batch ${RECIPE_BATCH} may not fit in memory`)) });
    const store = openStore(storeFile);
    expect(store.getRun(lines[0].runId as string)!.hyperParams.batchSize).toBe(RECIPE_BATCH);
    store.close();
  });
});
