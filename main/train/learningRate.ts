import type { HyperParams } from './protocol';

/** Fraction of the run spent warming up in `warmup-cosine`. */
const WARMUP_FRACTION = 0.05;
/** PyTorch OneCycleLR's defaults: peak at 30 %, start at peak/25, end at start/1e4. */
const ONE_CYCLE = { peakAt: 0.3, divFactor: 25, finalDivFactor: 1e4 };

const cosineBetween = (from: number, to: number, progress: number) => to + ((from - to) * (1 + Math.cos(Math.PI * progress))) / 2;

/** Learning rate at a step (0-based) of a run of `totalSteps` steps. */
export function learningRateAt(h: Pick<HyperParams, 'learningRate' | 'schedule'>, step: number, totalSteps: number): number {
  const base = h.learningRate;
  const total = Math.max(totalSteps, 1);
  const t = Math.min(Math.max(step, 0), total) / total;
  switch (h.schedule) {
    case 'constant':
    // Constant here: the loop multiplies in the plateau reducer's factor, a function of the metrics.
    case 'reduce-on-plateau':
      return base;
    case 'step':
      return base * 0.1 ** Math.floor(step / Math.max(1, Math.ceil(total / 3)));
    case 'multistep':
      return base * (t >= 0.75 ? 0.01 : t >= 0.5 ? 0.1 : 1);
    case 'exponential':
      return base * 0.01 ** t;
    case 'cosine':
      return cosineBetween(base, 0, t);
    case 'warmup-cosine': {
      const warmup = Math.max(1, Math.round(WARMUP_FRACTION * total));
      if (step < warmup) return (base * (step + 1)) / warmup;
      return cosineBetween(base, 0, (step - warmup) / Math.max(1, total - warmup));
    }
    case 'one-cycle': {
      const start = base / ONE_CYCLE.divFactor;
      const peakStep = ONE_CYCLE.peakAt * total;
      if (step <= peakStep) return cosineBetween(start, base, step / peakStep);
      return cosineBetween(base, start / ONE_CYCLE.finalDivFactor, (step - peakStep) / (total - peakStep));
    }
  }
}
