/**
 * The trainer's losses, one file each under ./losses/, and the registry the loop looks heads'
 * losses up in. This module is their one entry point.
 */
export { classificationLoss, topKCorrect } from './losses/classification';
export { binaryCrossEntropy, binaryCrossEntropyElementwise, type BinaryCrossEntropyOptions } from './losses/binaryCrossEntropy';
export { sigmoidFocalLoss, type SigmoidFocalLossOptions } from './losses/focal';
export { meanSquaredError } from './losses/meanSquaredError';
export { smoothL1Loss, type SmoothL1Options } from './losses/smoothL1';
export { reduceLoss, type Reduced, type Reduction } from './losses/reduction';
export * from './losses/combineLosses';
export * from './losses/registry';
