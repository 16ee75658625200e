/**
 * Backend selection in a process without tfjs-node: falls through the native
 * candidates (recording why each failed) to wasm, registers our kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../../main/backend/selectBackend';

describe('initBackend', () => {
  it('falls back to wasm with 1 thread and records why native backends failed', async () => {
    const selected = await initBackend({ threads: 1 });
    expect(selected.name).toBe('wasm');
    expect(selected.threads).toBe(1);
    expect(selected.label).toBe('wasm ×1 thread');
    expect(tf.getBackend()).toBe('wasm');
    const names = selected.attempts.map((a) => a.name);
    expect(names[names.length - 1]).toBe('wasm');
    for (const attempt of selected.attempts.slice(0, -1)) {
      expect(attempt.ok).toBe(false);
      expect(attempt.reason).toMatch(/\S/);
    }
    expect(selected.attempts[selected.attempts.length - 1].ok).toBe(true);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it('throws when the preferred backend cannot load', async () => {
    let tfjsNodeLoads = true;
    try {
      await import(/* @vite-ignore */ ['@tensorflow', 'tfjs-node'].join('/'));
    } catch {
      tfjsNodeLoads = false;
    }
    if (tfjsNodeLoads) return; // nothing to check where libtensorflow is installed
    await expect(initBackend({ preferred: 'tensorflow' })).rejects.toThrow(/tensorflow/);
  });

  it('honours preferred cpu', async () => {
    const selected = await initBackend({ preferred: 'cpu' });
    expect(selected).toMatchObject({ name: 'cpu', threads: 1, attempts: [{ name: 'cpu', ok: true }] });
    expect(tf.getBackend()).toBe('cpu');
  });
});
