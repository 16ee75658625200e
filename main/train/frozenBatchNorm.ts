import type * as TF from '@tensorflow/tfjs';

/**
 * Frozen BatchNorm layers run in inference mode. TF.js's BatchNormalization normalises with the
 * batch's statistics, and overwrites its moving mean and variance, whenever it is called with
 * `training: true` — its `trainable` flag only keeps the optimiser off gamma and beta. So a
 * "frozen" pretrained backbone would still drift: its running statistics would follow the new,
 * small dataset's batches, and the layers after it would see other activations than they were
 * trained on. Keras (since 2.1.3: `trainable = False` means inference mode) and PyTorch users
 * (`.eval()` on the frozen part) expect a frozen BN to use its moving statistics and leave them.
 *
 * Each BatchNormalization layer's `call` is wrapped once, on the instance, to pass
 * `training: false` while the layer is not trainable; whether it is is read at every call, so
 * unfreezing a layer (the next fine-tune phase) makes it train normally again. A subclass would
 * not do: the compiler builds stock layers, and the IR stays the one source of the model.
 */

const wrapped = new WeakSet<object>();

type Kwargs = Parameters<TF.layers.Layer['call']>[1];

function batchNormLayers(model: TF.LayersModel): TF.layers.Layer[] {
  return model.layers.flatMap((layer) => {
    if ('layers' in layer && Array.isArray((layer as TF.LayersModel).layers)) return batchNormLayers(layer as TF.LayersModel);
    return layer.getClassName() === 'BatchNormalization' ? [layer] : [];
  });
}

/** Makes every BatchNorm layer of `model` (nested models included) run in inference mode while it is frozen. Idempotent. */
export function runFrozenBatchNormInInferenceMode(model: TF.LayersModel): void {
  for (const layer of batchNormLayers(model)) {
    if (wrapped.has(layer)) continue;
    wrapped.add(layer);
    const call = layer.call.bind(layer);
    layer.call = (inputs: TF.Tensor | TF.Tensor[], kwargs: Kwargs) => call(inputs, layer.trainable ? kwargs : { ...kwargs, training: false });
  }
}
