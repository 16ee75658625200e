import { describe, expect, it } from 'vitest';
import { EarlyStoppingOptionsSchema, EarlyStoppingStateSchema, monitoredValue, startEarlyStopping, stepEarlyStopping, type EarlyStoppingOptionsInput, type EarlyStoppingState } from '../../../main/train/earlyStopping';

function run(input: EarlyStoppingOptionsInput, values: number[]): EarlyStoppingState[] {
  const options = EarlyStoppingOptionsSchema.parse(input);
  const states: EarlyStoppingState[] = [];
  let state = startEarlyStopping();
  values.forEach((v, epoch) => states.push((state = stepEarlyStopping(options, state, epoch, v))));
  return states;
}

describe('early stopping', () => {
  it('min mode, patience 2, minDelta 0.05: stops after two epochs without an improvement of more than 0.05', () => {
    // epoch 0: 1.0 best; 1: 0.9 best (0.9 < 0.95); 2: 0.86 not < 0.85 (wait 1); 3: 0.84 < 0.85 best (wait 0);
    // 4: 0.80 not < 0.79 (wait 1); 5: 0.85 (wait 2 = patience): stop, best 0.84 at epoch 3
    const states = run({ metric: 'val/loss', mode: 'min', patience: 2, minDelta: 0.05 }, [1.0, 0.9, 0.86, 0.84, 0.8, 0.85]);
    expect(states.map((s) => s.epochsWithoutImprovement)).toEqual([0, 0, 1, 0, 1, 2]);
    expect(states.map((s) => s.stopped)).toEqual([false, false, false, false, false, true]);
    expect(states.at(-1)).toEqual({ best: 0.84, bestEpoch: 3, epochsWithoutImprovement: 2, stopped: true, reason: 'patience' });
  });

  it('max mode without minDelta: any strictly larger value is an improvement, an equal one is not', () => {
    const states = run({ metric: 'val/top1', mode: 'max', patience: 3 }, [0.5, 0.6, 0.6, 0.61, 0.61, 0.6, 0.59]);
    expect(states.map((s) => s.bestEpoch)).toEqual([0, 1, 1, 3, 3, 3, 3]);
    expect(states.map((s) => s.stopped)).toEqual([false, false, false, false, false, false, true]);
  });

  it('stops at once on NaN or ∞ and keeps the best epoch before it', () => {
    const states = run({ metric: 'val/loss', mode: 'min', patience: 5 }, [1, 0.5, NaN]);
    expect(states.at(-1)).toEqual({ best: 0.5, bestEpoch: 1, epochsWithoutImprovement: 0, stopped: true, reason: 'non_finite' });
    expect(run({ metric: 'val/loss', mode: 'min', patience: 5 }, [Infinity]).at(-1)!.reason).toBe('non_finite');
  });

  it('once stopped, stays stopped', () => {
    const options = EarlyStoppingOptionsSchema.parse({ metric: 'val/loss', mode: 'min', patience: 1 });
    const stopped = run(options, [1, 2]).at(-1)!;
    expect(stepEarlyStopping(options, stopped, 2, 0.1)).toBe(stopped);
  });

  it('its state survives JSON (a checkpoint) and resumes to the same decision', () => {
    const input = { metric: 'val/loss', mode: 'min' as const, patience: 2 };
    const whole = run(input, [3, 2, 2.5, 2.4]).at(-1);
    const options = EarlyStoppingOptionsSchema.parse(input);
    const saved = JSON.parse(JSON.stringify(run(input, [3, 2]).at(-1)));
    const resumed = [2.5, 2.4].reduce((s, v, i) => stepEarlyStopping(options, s, 2 + i, v), EarlyStoppingStateSchema.parse(saved));
    expect(resumed).toEqual(whole);
    expect(whole!.stopped).toBe(true);
  });

  it('reads the monitored metric by its logged name, and names the logged ones when it is absent', () => {
    expect(monitoredValue({ metric: 'val/loss' }, { 'val/loss': 0.3, 'val/top1': 0.9 })).toBe(0.3);
    expect(() => monitoredValue({ metric: 'val/mIoU' }, { 'val/loss': 0.3 })).toThrow(/"val\/mIoU".*val\/loss/);
  });
});
