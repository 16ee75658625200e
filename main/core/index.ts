/** The isomorphic core: graph IR, block registry, shape inference and the API contract. */
export * from './errors';
export * from './ir/schema';
export * from './ir/parseGraph';
export * from './ir/overrides';
export * from './ir/expandGroups';
export * from './ir/diffGraphs';
export * from './blocks/types';
export * from './blocks/registry';
export { expandComposite, type CompositeSpec } from './blocks/composite';
export { makeDivisible } from './blocks/composites/mobileBlocks';
export * from './infer/inferGraph';
export * from './infer/summaries';
export * from './contract/schemas';
export * from './contract/api';
export * from './format';
