import type * as TF from '@tensorflow/tfjs';
import { encodeCheckpoint, type DecodedCheckpoint, type LoopState } from './checkpointFormat';

/**
 * Between a live model + optimizer and checkpoint bytes. Model weights are all of
 * `model.weights` — trainable or not, so BatchNorm's running statistics and frozen layers
 * are included — named by their layer-qualified original names (`conv1/kernel`), which do
 * not depend on what else the process has built. Optimizer state is what the TF.js
 * optimizer's `getWeights()` gives (its iteration count and slot variables: momenta,
 * Adam's moments) plus the fields `setWeights()` would otherwise recompute.
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

export async function captureCheckpoint(tf: typeof TF, model: TF.LayersModel, optimizer: TF.Optimizer, loop: LoopState): Promise<Uint8Array> {
  const optimizerWeights = await optimizer.getWeights();
  try {
    const extras = EXTRA_FIELDS.flatMap((field) => {
      const variable = (optimizer as unknown as WithExtras)[field];
      return variable ? [{ name: field, tensor: variable }] : [];
    });
    return await encodeCheckpoint(tf, {
      model: model.weights.map((w) => ({ name: w.originalName, tensor: w.read() })),
      optimizerClass: optimizer.getClassName(),
      optimizer: optimizerWeights,
      optimizerExtras: extras,
      loop,
    });
  } finally {
    // getWeights() makes a fresh scalar for the iteration count; the rest are the optimizer's own variables.
    for (const w of optimizerWeights) if (w.name === 'iter') w.tensor.dispose();
  }
}

/**
 * Loads a decoded checkpoint into the model and a freshly created optimizer of the same
 * kind, and disposes the decoded tensors. Refuses, naming what differs, a checkpoint of
 * another architecture or optimizer.
 */
export async function restoreCheckpoint(model: TF.LayersModel, optimizer: TF.Optimizer, checkpoint: DecodedCheckpoint): Promise<void> {
  try {
    const saved = new Map(checkpoint.model.map((w) => [w.name, w.tensor]));
    const problems: string[] = [];
    for (const w of model.weights) {
      const t = saved.get(w.originalName);
      if (!t) problems.push(`${w.originalName} is missing`);
      else if (t.shape.join('x') !== w.shape.join('x')) problems.push(`${w.originalName} is [${t.shape}] in the checkpoint, [${w.shape}] in the model`);
    }
    const known = new Set(model.weights.map((w) => w.originalName));
    for (const name of saved.keys()) if (!known.has(name)) problems.push(`${name} is not in the model`);
    if (checkpoint.optimizerClass !== optimizer.getClassName()) {
      problems.push(`the optimizer is ${optimizer.getClassName()}, the checkpoint's is ${checkpoint.optimizerClass}`);
    }
    if (problems.length > 0) throw new CheckpointMismatchError(`The checkpoint does not fit this model: ${problems.join('; ')}`);

    for (const w of model.weights) w.write(saved.get(w.originalName)!);
    // setWeights copies each tensor into a new variable, so the decoded ones can go afterwards.
    await optimizer.setWeights(checkpoint.optimizer);
    for (const { name, tensor } of checkpoint.optimizerExtras) {
      const field = (optimizer as unknown as WithExtras)[name as (typeof EXTRA_FIELDS)[number]];
      if (!field) throw new CheckpointMismatchError(`The checkpoint's optimizer has a field "${name}" that ${optimizer.getClassName()} lacks`);
      field.assign(tensor);
    }
  } finally {
    for (const group of [checkpoint.model, checkpoint.optimizer, checkpoint.optimizerExtras]) for (const { tensor } of group) tensor.dispose();
  }
}
