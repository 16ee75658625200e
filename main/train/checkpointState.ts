import type * as TF from '@tensorflow/tfjs';
import { disposeCheckpoint, encodeCheckpoint, type DecodedCheckpoint, type LoopState, type OptimizerGroupState } from './checkpointFormat';
import type { TrainingOptimizer } from './optimizers';

/**
 * Between a live model + optimizer and checkpoint bytes. Model weights are all of
 * `model.weights` — trainable or not, so BatchNorm's running statistics and frozen layers
 * are included — named by their layer-qualified original names (`conv1/kernel`), which do
 * not depend on what else the process has built. Optimizer state is, for every parameter
 * group (one TF.js optimizer per learning-rate multiplier), what its `getWeights()` gives
 * (its iteration count and slot variables: momenta, Adam's moments) plus the fields
 * `setWeights()` would otherwise recompute.
 */

/**
 * Adam's running β₁ᵗ and β₂ᵗ. `AdamOptimizer.setWeights` rebuilds them as pow(β, t+1)
 * while training multiplies them step by step; the two differ in the last bits of a
 * float32, so a resume that used pow would not replay the uninterrupted run bit for bit.
 */
const EXTRA_FIELDS = ['accBeta1', 'accBeta2'] as const;

type WithExtras = Partial<Record<(typeof EXTRA_FIELDS)[number], TF.Variable>>;

export class CheckpointMismatchError extends Error {
  readonly code = 'checkpoint_mismatch';
}

function groupsByMultiplier(optimizer: TrainingOptimizer): [number, TF.Optimizer][] {
  return [...optimizer.groups()].sort((a, b) => a[0] - b[0]);
}

export async function captureCheckpoint(tf: typeof TF, model: TF.LayersModel, optimizer: TrainingOptimizer, loop: LoopState): Promise<Uint8Array> {
  const groups: OptimizerGroupState[] = [];
  try {
    for (const [multiplier, tfOptimizer] of groupsByMultiplier(optimizer)) {
      const weights = await tfOptimizer.getWeights();
      const extras = EXTRA_FIELDS.flatMap((field) => {
        const variable = (tfOptimizer as unknown as WithExtras)[field];
        return variable ? [{ name: field, tensor: variable }] : [];
      });
      groups.push({ multiplier, optimizerClass: tfOptimizer.getClassName(), weights, extras });
    }
    return await encodeCheckpoint(tf, {
      model: model.weights.map((w) => ({ name: w.originalName, tensor: w.read() })),
      optimizers: groups,
      loop,
    });
  } finally {
    // getWeights() makes a fresh scalar for the iteration count; the rest are the optimizers' own variables.
    for (const g of groups) for (const w of g.weights) if (w.name === 'iter') w.tensor.dispose();
  }
}

/** Refuses, naming every difference, a checkpoint of another architecture or optimizer. */
function checkFits(model: TF.LayersModel, optimizer: TrainingOptimizer, checkpoint: DecodedCheckpoint): void {
  const saved = new Map(checkpoint.model.map((w) => [w.name, w.tensor]));
  const problems: string[] = [];
  for (const w of model.weights) {
    const t = saved.get(w.originalName);
    if (!t) problems.push(`${w.originalName} is missing`);
    else if (t.shape.join('x') !== w.shape.join('x')) problems.push(`${w.originalName} is [${t.shape}] in the checkpoint, [${w.shape}] in the model`);
  }
  const known = new Set(model.weights.map((w) => w.originalName));
  for (const name of saved.keys()) if (!known.has(name)) problems.push(`${name} is not in the model`);
  const ours = optimizer.tfOptimizer.getClassName();
  const theirs = checkpoint.optimizers[0]?.optimizerClass;
  if (theirs !== undefined && theirs !== ours) problems.push(`the optimizer is ${ours}, the checkpoint's is ${theirs}`);
  if (problems.length > 0) throw new CheckpointMismatchError(`The checkpoint does not fit this model: ${problems.join('; ')}`);
}

/**
 * Loads a decoded checkpoint into the model and, when `withOptimizer`, into a freshly created
 * optimizer with the same parameter groups; then disposes the decoded tensors. A resume at a
 * fine-tune phase boundary passes false: the new phase starts with a new optimizer, as the
 * uninterrupted run's does.
 */
export async function restoreCheckpoint(model: TF.LayersModel, optimizer: TrainingOptimizer, checkpoint: DecodedCheckpoint, withOptimizer = true): Promise<void> {
  try {
    checkFits(model, optimizer, checkpoint);
    const saved = new Map(checkpoint.model.map((w) => [w.name, w.tensor]));
    for (const w of model.weights) w.write(saved.get(w.originalName)!);
    if (!withOptimizer) return;
    const ours = groupsByMultiplier(optimizer);
    const theirs = [...checkpoint.optimizers].sort((a, b) => a.multiplier - b.multiplier);
    const ourMultipliers = ours.map(([m]) => m).join(', ');
    const theirMultipliers = theirs.map((g) => g.multiplier).join(', ');
    if (ourMultipliers !== theirMultipliers) {
      throw new CheckpointMismatchError(`The checkpoint's optimizer has parameter groups at learning-rate multipliers ${theirMultipliers}; this run has ${ourMultipliers}`);
    }
    for (const [i, [, tfOptimizer]] of ours.entries()) {
      const group = theirs[i];
      // setWeights copies each tensor into a new variable, so the decoded ones can go afterwards.
      await tfOptimizer.setWeights(group.weights);
      for (const { name, tensor } of group.extras) {
        const field = (tfOptimizer as unknown as WithExtras)[name as (typeof EXTRA_FIELDS)[number]];
        if (!field) throw new CheckpointMismatchError(`The checkpoint's optimizer has a field "${name}" that ${tfOptimizer.getClassName()} lacks`);
        field.assign(tensor);
      }
    }
  } finally {
    disposeCheckpoint(checkpoint);
  }
}
