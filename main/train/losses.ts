/**
 * The losses' entry point for `import … from './losses'`: the folder's index, re-exported, so the
 * import means the same module whether a resolver picks this file or the folder.
 */
export * from './losses/index';
