import type { HyperParams } from './protocol';

/** Learning rate at a step (0-based) of a run of `totalSteps` steps. */
export function learningRateAt(h: Pick<HyperParams, 'learningRate' | 'schedule'>, step: number, totalSteps: number): number {
  switch (h.schedule) {
    case 'constant':
      return h.learningRate;
    case 'cosine':
      return h.learningRate * 0.5 * (1 + Math.cos((Math.PI * Math.min(step, totalSteps)) / Math.max(totalSteps, 1)));
  }
}
