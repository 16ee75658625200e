import { hashSeeds } from '../data/synthetic/prng';

/**
 * Seeded randomness for TF.js. Its weight initialisers and dropout take their seed from
 * `Math.random()` when none is given (tfjs-core's rand_util), and Math.random cannot be
 * seeded. So the trainer lends Math.random a seeded generator for exactly the synchronous
 * calls that draw — compiling the model, and each training step — and puts it back
 * afterwards. The initial weights are then a pure function of the run's seed, each
 * epoch's dropout/DropPath draws a pure function of (seed, epoch, steps taken), and
 * anything else in the process that uses Math.random neither disturbs nor is disturbed.
 */

/** Stream ids mixed into the run's seed, so initialisation and epochs draw unrelated sequences. */
const INIT_STREAM = 0x1417;
const EPOCH_STREAM = 0xe90c;

/** mulberry32 with its 32-bit state readable and settable, so a checkpoint can carry it. */
export class TrainingRandom {
  constructor(private current: number) {
    this.current = current >>> 0;
  }

  /** The generator's whole state: restoring it replays the same numbers. */
  get state(): number {
    return this.current;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.current = (this.current + 0x6d2b79f5) >>> 0;
    let t = this.current;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /**
   * Runs `fn` with Math.random drawing from this generator, and restores Math.random
   * afterwards even if `fn` throws. `fn` must be synchronous: an await inside it would let
   * unrelated code draw from, and so shift, this sequence.
   */
  run<T>(fn: () => T): T {
    const original = Math.random;
    Math.random = () => this.next();
    try {
      const result = fn();
      if (result instanceof Promise) throw new Error('TrainingRandom.run needs a synchronous function');
      return result;
    } finally {
      Math.random = original;
    }
  }
}

/** The generator that draws a run's initial weights. */
export function initRandom(seed: number): TrainingRandom {
  return new TrainingRandom(hashSeeds(seed, INIT_STREAM));
}

/** The generator of one epoch's training-time draws (dropout, DropPath), fresh at the epoch's start. */
export function epochRandom(seed: number, epoch: number): TrainingRandom {
  return new TrainingRandom(hashSeeds(seed, EPOCH_STREAM, epoch));
}
