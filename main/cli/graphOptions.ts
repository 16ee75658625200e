import { applyOverrides, parseInputShape, type GraphIR } from '../core';
import { InvalidInputError } from './output';

export interface GraphOverrideOptions {
  input?: string;
  classes?: number;
}

/** Applies `--input CxHxW` and `--classes N` to a graph, refusing malformed values. */
export function withOverrides(graph: GraphIR, options: GraphOverrideOptions): GraphIR {
  const input = options.input === undefined ? undefined : parseInputShape(options.input);
  if (input === null) throw new InvalidInputError(`--input must look like 3x224x224 (channels x height x width); got "${options.input}"`);
  if (options.classes !== undefined && options.classes < 2) throw new InvalidInputError(`--classes must be at least 2; got ${options.classes}`);
  return applyOverrides(graph, { input, classes: options.classes });
}
