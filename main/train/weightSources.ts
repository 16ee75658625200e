import fs from 'node:fs';
import path from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { z } from 'zod';
import { sha256Of } from '../store/runFiles';
import { decodeCheckpoint, disposeCheckpoint } from './checkpointFormat';
import type { LoadWeights } from './protocol';
import { TrainingInputError } from './trainingErrors';

/**
 * Reading the tensors of a weight source into memory, by name: the model weights of another
 * run's checkpoint, or a TF.js layers model's weights (model.json and its shards). Matching them
 * to a model is ./weightLoading's job.
 */

/** The part of a TF.js model.json this needs: its weights manifest (the topology is not used). */
const LayersModelJsonSchema = z.object({
  weightsManifest: z
    .array(
      z.object({
        paths: z.array(z.string().min(1)).min(1),
        weights: z.array(z.object({ name: z.string(), shape: z.array(z.number().int().nonnegative()), dtype: z.string() }).loose()),
      }),
    )
    .min(1),
});

/** Words for the source, as the CLI and the run's report show it. */
export function describeWeightSource(source: LoadWeights): string {
  return source.kind === 'checkpoint' ? `run ${source.runId} (${source.which} checkpoint, epoch ${source.epoch + 1})` : source.path;
}

function readFile(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new TrainingInputError(`Cannot read ${what} ${file}: ${(error as Error).message}`);
  }
}

function fromCheckpoint(tf: typeof TF, source: Extract<LoadWeights, { kind: 'checkpoint' }>): Map<string, TF.Tensor> {
  const bytes = readFile(source.path, 'the checkpoint');
  if (sha256Of(bytes) !== source.sha256) throw new TrainingInputError(`The checkpoint ${source.path} of run ${source.runId} has changed since it was written (sha256 differs)`);
  const checkpoint = decodeCheckpoint(tf, bytes);
  const model = new Map(checkpoint.model.map((w) => [w.name, w.tensor]));
  // Only the model's weights are wanted: the optimizer's state stays with its run.
  disposeCheckpoint({ ...checkpoint, model: [] });
  return model;
}

function fromLayersModel(tf: typeof TF, file: string): Map<string, TF.Tensor> {
  let json: unknown;
  try {
    json = JSON.parse(readFile(file, 'the model').toString('utf8'));
  } catch (error) {
    if (error instanceof TrainingInputError) throw error;
    throw new TrainingInputError(`${file} is not JSON: ${(error as Error).message}`);
  }
  const parsed = LayersModelJsonSchema.safeParse(json);
  if (!parsed.success) throw new TrainingInputError(`${file} is not a TF.js layers model with weights: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'model.json'}: ${i.message}`).join('; ')}`);
  const folder = path.dirname(file);
  const tensors = new Map<string, TF.Tensor>();
  for (const group of parsed.data.weightsManifest) {
    const shards = group.paths.map((p) => readFile(path.resolve(folder, p), 'the weight file'));
    const bytes = Buffer.concat(shards);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    let decoded: TF.NamedTensorMap;
    try {
      decoded = tf.io.decodeWeights(buffer, group.weights as TF.io.WeightsManifestEntry[]);
    } catch (error) {
      throw new TrainingInputError(`The weights of ${file} do not decode (${group.paths.join(', ')}): ${(error as Error).message}`);
    }
    for (const [name, tensor] of Object.entries(decoded)) tensors.set(name, tensor);
  }
  return tensors;
}

/** The source's tensors by name; the caller owns them and disposes them. */
export function readWeightSource(tf: typeof TF, source: LoadWeights): Map<string, TF.Tensor> {
  return source.kind === 'checkpoint' ? fromCheckpoint(tf, source) : fromLayersModel(tf, source.path);
}
