import type * as TF from '@tensorflow/tfjs';

/**
 * Which graph node a TF.js variable belongs to. The compiler names a node's layers after the node:
 * `<id>` itself, helpers `<id>__<part>` and a composite's inner layers `<id>.<inner>` (groups
 * compile the same way); a layer's variables are `<layer>/<weight>`, and TF.js appends `_<n>` to
 * a variable's name when another variable already has it (a second model built from the same
 * graph gets `conv1/kernel_1`).
 */

/** The layer part of a variable name: everything before the first '/'. */
export function layerOfVariable(variableName: string): string {
  const slash = variableName.indexOf('/');
  return slash < 0 ? variableName : variableName.slice(0, slash);
}

/** A variable's name without the `_<n>` TF.js appends to make it unique: `conv1/kernel_1` → `conv1/kernel`. */
export function withoutUniqueSuffix(variableName: string): string {
  const slash = variableName.lastIndexOf('/');
  if (slash < 0) return variableName;
  return variableName.slice(0, slash + 1) + variableName.slice(slash + 1).replace(/_\d+$/, '');
}

/**
 * A resolver from variable names to node ids, for the given nodes (a graph's top-level ids: a
 * group's inner layers then resolve to the group). Node ids may themselves contain '.' or '__',
 * so the longest id the layer name starts with, followed by nothing, `__` or `.`, wins; names of
 * no node's layers (an optimiser's or a loss's own variables) resolve to undefined.
 */
export function nodeResolver(nodeIds: Iterable<string>): (variableName: string) => string | undefined {
  const ids = new Set(nodeIds);
  const cache = new Map<string, string | undefined>();
  return (variableName) => {
    const layer = layerOfVariable(variableName);
    if (cache.has(layer)) return cache.get(layer);
    let found: string | undefined = ids.has(layer) ? layer : undefined;
    for (let i = layer.length - 1; !found && i > 0; i--) {
      const rest = layer.slice(i);
      if ((rest.startsWith('__') || rest.startsWith('.')) && ids.has(layer.slice(0, i))) found = layer.slice(0, i);
    }
    cache.set(layer, found);
    return found;
  };
}

/**
 * Learning-rate multipliers per node as the optimiser takes them (a function of the variable):
 * a variable gets its node's multiplier, and `otherwise` (default 1) when its node is not listed
 * or it belongs to no node. Pass the graph's `nodeIds` when some are not listed and ids nest
 * (`a` and `a.b`), so that `a.b`'s variables are not taken for `a`'s.
 */
export function nodeLrMultipliers(
  multipliers: Readonly<Record<string, number>> | ReadonlyMap<string, number>,
  options: { nodeIds?: Iterable<string>; otherwise?: number } = {},
): (variable: TF.Variable) => number {
  const byNode: ReadonlyMap<string, number> = multipliers instanceof Map ? multipliers : new Map(Object.entries(multipliers));
  const nodeOf = nodeResolver(options.nodeIds ?? byNode.keys());
  const otherwise = options.otherwise ?? 1;
  return (variable) => {
    const node = nodeOf(variable.name);
    return node === undefined ? otherwise : (byNode.get(node) ?? otherwise);
  };
}
