import * as tf from '@tensorflow/tfjs';

/**
 * Tile's gradient as one reshape and one sum. tfjs-core's own slices dy once per repetition and
 * adds the slices up; tfjs-layers' LayerNormalization tiles its statistics and γ/β up to the
 * input's shape, so a ViT step ran tens of thousands of Slice/Add kernels (vit_tiny at batch
 * 16: 64k of its 66k kernels, 40 % of the step on wasm). Tiling repeats the whole of x along
 * each axis, so dy viewed as [r0, s0, r1, s1, …] summed over the r axes is the gradient; axes
 * with one repetition stay unsplit, keeping the rank low.
 */
export const tileGradConfig: tf.GradConfig = {
  kernelName: tf.Tile,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const { reps } = attrs as unknown as { reps: number[] };
    return {
      x: () => {
        const split = x.shape.flatMap((size, axis) => (reps[axis] > 1 ? [reps[axis], size] : [size]));
        const repetitionAxes: number[] = [];
        let position = 0;
        x.shape.forEach((_, axis) => {
          if (reps[axis] > 1) repetitionAxes.push(position++);
          position++;
        });
        const summed = repetitionAxes.length === 0 ? (dy as tf.Tensor) : tf.sum(tf.reshape(dy as tf.Tensor, split), repetitionAxes);
        return tf.reshape(summed, x.shape);
      },
    };
  },
};

tf.registerGradient(tileGradConfig);
