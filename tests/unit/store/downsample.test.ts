import { describe, expect, it } from 'vitest';
import { MetricPointSchema } from '../../../main/core';
import { openStore } from '../../../main/store';
import { sampleGraph, tempStoreFile } from './helpers';

const newRun = { graph: sampleGraph(), hyperParams: {}, backend: 'cpu', seed: 1 };

describe('getMetricsDownsampled', () => {
  it('reduces 100k points to at most 2·buckets, keeping the true min and max and the last point', () => {
    const store = openStore(tempStoreFile());
    const id = store.createRun({ name: 'long', ...newRun });
    const n = 100_000;
    // A noisy decay with one spike and one dip placed off bucket boundaries.
    const value = (s: number) => (s === 31_337 ? 50 : s === 77_777 ? -3 : Math.exp(-s / 20_000) + 0.01 * Math.sin(s * 0.7));
    for (let start = 0; start < n; start += 10_000) {
      store.appendMetrics(id, Array.from({ length: 10_000 }, (_, i) => ({ step: start + i, epoch: Math.floor((start + i) / 1000), name: 'train/loss', value: value(start + i) })));
    }
    for (const buckets of [1000, 7, 1]) {
      const t0 = performance.now();
      const d = store.getMetricsDownsampled(id, 'train/loss', buckets);
      const ms = performance.now() - t0;
      expect(d.totalPoints).toBe(n);
      expect(d.buckets).toHaveLength(buckets);
      expect(d.points.length).toBeLessThanOrEqual(2 * buckets);
      expect(d.points.length).toBeGreaterThanOrEqual(buckets);
      const values = d.points.map((p) => p.value);
      expect(Math.max(...values)).toBe(50);
      expect(Math.min(...values)).toBe(-3);
      expect(d.points.find((p) => p.value === 50)).toEqual({ step: 31_337, epoch: 31, value: 50 });
      // Steps strictly increase, and every point is a real logged point.
      for (let i = 1; i < d.points.length; i++) expect(d.points[i].step).toBeGreaterThan(d.points[i - 1].step);
      for (const p of d.points) expect(p.value).toBe(value(p.step));
      d.points.forEach((p) => MetricPointSchema.parse(p));
      // Buckets tile the step range without gaps and their counts add up.
      expect(d.buckets[0].fromStep).toBe(0);
      expect(d.buckets.at(-1)!.toStep).toBe(n - 1);
      for (let i = 1; i < d.buckets.length; i++) expect(d.buckets[i].fromStep).toBe(d.buckets[i - 1].toStep + 1);
      for (const b of d.buckets) {
        expect(b.last.step).toBe(b.toStep);
        expect(b.last.value).toBe(value(b.toStep));
        expect(b.min.step).toBeGreaterThanOrEqual(b.fromStep);
        expect(b.max.step).toBeLessThanOrEqual(b.toStep);
        expect(b.min.value).toBeLessThanOrEqual(b.max.value);
      }
      expect(d.buckets.reduce((s, b) => s + b.count, 0)).toBe(n);
      if (buckets === 1000) console.log(`100k-point curve → ${d.points.length} points in ${ms.toFixed(1)} ms`);
    }
    store.close();
  });

  it('returns short series whole and unknown series empty', () => {
    const store = openStore(tempStoreFile());
    const id = store.createRun({ name: 'short', ...newRun });
    store.appendMetrics(id, [10, 20, 30, 40, 50].map((step, i) => ({ step, epoch: 0, name: 'val/top1', value: i / 10 })));
    const d = store.getMetricsDownsampled(id, 'val/top1', 2);
    expect(d.totalPoints).toBe(5);
    expect(d.buckets.map((b) => [b.fromStep, b.toStep, b.count])).toEqual([
      [10, 30, 3],
      [31, 50, 2],
    ]);
    expect(d.points.map((p) => p.step)).toEqual([10, 30, 40, 50]);
    const whole = store.getMetricsDownsampled(id, 'val/top1', 3);
    expect(whole.buckets.map((b) => [b.fromStep, b.toStep, b.count])).toEqual([
      [10, 23, 2],
      [24, 37, 1],
      [38, 50, 2],
    ]);
    expect(whole.points).toEqual(store.getMetrics(id, ['val/top1'])[0].points);
    // A gap leaves buckets empty: they are left out rather than invented.
    const steps = [...Array.from({ length: 10 }, (_, i) => i), ...Array.from({ length: 10 }, (_, i) => 90 + i)];
    store.appendMetrics(id, steps.map((step) => ({ step, epoch: 0, name: 'val/gappy', value: step % 7 })));
    const gappy = store.getMetricsDownsampled(id, 'val/gappy', 4);
    expect(gappy.buckets.map((b) => [b.fromStep, b.toStep, b.count, b.min.value, b.max.value, b.last.step])).toEqual([
      [0, 24, 10, 0, 6, 9],
      [75, 99, 10, 0, 6, 99],
    ]);
    expect(gappy.points.length).toBeLessThanOrEqual(8);
    expect(store.getMetricsDownsampled(id, 'val/none', 10)).toEqual({ name: 'val/none', totalPoints: 0, buckets: [], points: [] });
    expect(() => store.getMetricsDownsampled(id, 'val/top1', 0)).toThrow(/buckets must be an integer/);
    store.close();
  });
});
