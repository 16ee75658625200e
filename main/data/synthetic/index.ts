/** A deterministic synthetic 10-class shapes dataset, for training with no downloads. */
export { SHAPE_CLASSES } from './shapes';
export {
  SHAPES_GENERATOR_VERSION,
  renderShapeSample,
  renderShapeSampleDetail,
  type ShapeSample,
  type ShapeSampleDetail,
} from './renderSample';
export { syntheticClassification, type SyntheticSplit } from './dataset';
export { mulberry32, hashSeeds, mix32, type Rng } from './prng';
