import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, it } from 'vitest';
import { applyOverrides, parseInputShape } from '../../../main/core';
import { loadTemplate, templateNames } from '../../../main/templates/templateLibrary';
import { expectCompiledMatchesInference } from './compiledShapes';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * The ImageNet templates compile at 3×32×32 with 10 classes: weight initialisation dominates
 * compile time here (VGG-16's 138 M parameters take ~20 s at 224², most of them in the first
 * fully connected layer, whose size follows the input). Every layer type, block and connection
 * is the same as at 224², and the checks are the same; the published 224² parameter counts are
 * checked by shape inference's own tests. Only symbolic shapes are compared here: a forward pass
 * of every template would double the time, and each block's computed shapes are checked by the
 * registry sweep (tasks' templates also run forward in blocks/taskHeads.test.ts).
 */
const SMALLER = new Set(['convnext_tiny', 'efficientnet_b0', 'mobilenet_v2', 'mobilenet_v3_small', 'resnet18', 'resnet34', 'resnet50', 'vgg16', 'vit_b_16']);
const SMALL_INPUT = parseInputShape('3x32x32')!;

describe('every template compiles, and the model agrees with inference', () => {
  it.each(templateNames())(
    '%s',
    (name) => {
      const template = loadTemplate(name);
      expectCompiledMatchesInference(SMALLER.has(name) ? applyOverrides(template, { input: SMALL_INPUT, classes: 10 }) : template, { forward: false });
    },
    60_000,
  );
});
