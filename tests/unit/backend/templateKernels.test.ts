/**
 * Every template that compiles takes one training step on the wasm backend
 * (our kernels registered): no kernel is missing, every gradient is finite,
 * and every kernel the step runs gives the cpu backend's result on the same
 * inputs (replayed by kernelAudit.ts, with cpuReference.ts's kernels where
 * cpu's own are wrong or too slow).
 *
 * Why kernel by kernel rather than the final gradients: at test sizes
 * (32×32 images, batch 2) deep nets normalise over a handful of values, and
 * rounding differences between any two correct backends grow by orders of
 * magnitude through them; the per-kernel comparison is exact up to rounding
 * and names the kernel that is wrong. Final gradients are compared too
 * where they are well-conditioned (no BatchNorm) and the cpu step is quick
 * (≤ 10 M parameters: the cpu backend takes minutes for VGG-16 or ViT-B).
 *
 * Templates over 30 M parameters (ViT-B/16, VGG-16: their blocks are those of
 * vit_tiny and resnet18) take about a minute each here; they run with
 * VISIONBENCH_SLOW_TESTS=1.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../../../main/backend/wasm/registerKernels';
import { inferGraph } from '../../../main/core';
import { templateNames } from '../../../main/templates/templateLibrary';
import { withCpuReferenceKernels } from './cpuReference';
import { installKernelAudit } from './kernelAudit';
import { smallTemplate, trainingStep, type StepResult } from './templateStep';

/** The brief's tolerance, relative to each kernel output's largest value. */
const KERNEL_TOLERANCE = 1e-4;
const BATCH = 2;
/** Largest model whose whole step is also run on cpu for the end-to-end comparison. */
const END_TO_END_MAX_PARAMS = 10_000_000;
/** Larger templates run only with VISIONBENCH_SLOW_TESTS=1. */
const HEAVY_PARAMS = 30_000_000;
const runHeavy = process.env.VISIONBENCH_SLOW_TESTS === '1';

/** The smallest square input (≥ 32) the template accepts. */
function testSize(name: string): number | null {
  return [32, 64, 128].find((s) => inferGraph(smallTemplate(name, [3, s, s])).ok) ?? null;
}

let audit: ReturnType<typeof installKernelAudit>;

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmTrainingKernels();
  audit = installKernelAudit(KERNEL_TOLERANCE);
});

/** The message of a "block has no TF.js builder yet" compile error, else null. */
function notCompilable(err: unknown): string | null {
  const text = err instanceof Error ? err.message : String(err);
  return /cannot be compiled|Graph is invalid/.test(text) ? text.split('\n')[0] : null;
}

function missingKernel(err: unknown): string | null {
  const match = /Kernel '(\w+)' not registered for backend 'wasm'/.exec(err instanceof Error ? err.message : String(err));
  return match ? match[1] : null;
}

function usesBatchNorm(name: string): boolean {
  return JSON.stringify(smallTemplate(name, [3, 32, 32])).includes('BatchNorm');
}

/** |wasm − cpu| ≤ 1e-3 · max(1, |cpu|) element-wise over every gradient. */
function expectSameGradients(ours: StepResult, ref: StepResult): void {
  expect(ours.grads.map((g) => g.shape)).toEqual(ref.grads.map((g) => g.shape));
  ours.grads.forEach((g, i) => {
    const r = ref.grads[i].values;
    let worst = 0;
    for (let j = 0; j < r.length; j++) worst = Math.max(worst, Math.abs(g.values[j] - r[j]) / Math.max(1, Math.abs(r[j])));
    expect(worst, `gradient of ${g.name}`).toBeLessThanOrEqual(1e-3);
  });
}

describe('templates train one step on wasm, kernel for kernel equal to cpu', () => {
  it.for(templateNames())('%s', { timeout: 180_000 }, async (name, ctx) => {
    const size = testSize(name);
    if (size === null) {
      ctx.annotate('skipped: no input size up to 128 fits');
      ctx.skip();
      return;
    }
    const graph = smallTemplate(name, [3, size, size]);
    const params = inferGraph(graph).totals.params;
    if (params > HEAVY_PARAMS && !runHeavy) {
      ctx.annotate(`skipped: ${params} parameters (VISIONBENCH_SLOW_TESTS=1 runs it)`);
      ctx.skip();
      return;
    }
    await tf.setBackend('wasm');
    let step: { result: StepResult; mismatches: Array<{ kernel: string; signature: string; error: number }>; audited: number };
    try {
      step = await withCpuReferenceKernels(() => audit.during(() => trainingStep(graph, BATCH)));
    } catch (err) {
      const problem = notCompilable(err);
      if (problem) {
        ctx.annotate(`skipped: ${problem}`);
        ctx.skip();
        return;
      }
      const kernel = missingKernel(err);
      throw kernel ? new Error(`${name}: kernel ${kernel} is not registered for wasm`) : err;
    }
    expect(step.audited).toBeGreaterThan(0);
    expect(step.mismatches, JSON.stringify(step.mismatches.slice(0, 3))).toEqual([]);
    const all = step.result.grads.flatMap((g) => Array.from(g.values));
    expect(all.every(Number.isFinite), 'finite gradients').toBe(true);
    expect(all.some((v) => v !== 0), 'some gradient is non-zero').toBe(true);

    if (!usesBatchNorm(name) && params <= END_TO_END_MAX_PARAMS) {
      await tf.setBackend('cpu');
      const reference = await withCpuReferenceKernels(() => trainingStep(graph, BATCH));
      expect(step.result.loss).toBeCloseTo(reference.loss, 4);
      expectSameGradients(step.result, reference);
    }
  });
});
