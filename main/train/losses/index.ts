/**
 * The trainer's losses, one file each in this folder, and the registry the loop looks heads'
 * losses up in. This module is their one entry point.
 */
export { classificationLoss, topKCorrect } from './classification';
export { binaryCrossEntropy, binaryCrossEntropyElementwise, type BinaryCrossEntropyOptions } from './binaryCrossEntropy';
export { sigmoidFocalLoss, type SigmoidFocalLossOptions } from './focal';
export { meanSquaredError } from './meanSquaredError';
export { smoothL1Loss, type SmoothL1Options } from './smoothL1';
export { reduceLoss, type Reduced, type Reduction } from './reduction';
export * from './combineLosses';
export * from './registry';
