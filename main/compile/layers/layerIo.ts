import type * as TF from '@tensorflow/tfjs';

/**
 * tfjs-layers hands every layer `Tensor | Tensor[]` and `Shape | Shape[]`; the engine's custom
 * layers all take exactly one input, and say so when given more.
 */

type Shape = (number | null)[];

/** What every tfjs-layers Layer constructor takes (name, trainable, dtype…), beside a custom layer's own config. */
export type LayerArgs = NonNullable<ConstructorParameters<typeof TF.layers.Layer>[0]>;

export function onlyTensor(inputs: TF.Tensor | TF.Tensor[], layer: string): TF.Tensor {
  if (!Array.isArray(inputs)) return inputs;
  if (inputs.length !== 1) throw new Error(`${layer} takes one input tensor, got ${inputs.length}`);
  return inputs[0];
}

export function onlyShape(inputShape: Shape | Shape[], layer: string): Shape {
  // One shape holds sizes (numbers or null); a list of shapes holds arrays.
  if (!inputShape.some((d) => Array.isArray(d))) return inputShape as Shape;
  const shapes = inputShape as Shape[];
  if (shapes.length !== 1) throw new Error(`${layer} takes one input, got ${shapes.length} shapes`);
  return shapes[0];
}

/** The static size of axis `axis` of a layer's input shape, which the layer's weights depend on. */
export function knownDim(shape: Shape, axis: number, layer: string): number {
  const d = shape[axis < 0 ? shape.length + axis : axis];
  if (typeof d !== 'number') throw new Error(`${layer} needs a known size on axis ${axis} of its input ${JSON.stringify(shape)}`);
  return d;
}
