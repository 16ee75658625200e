/**
 * Errors are values: a stable code for scripts, the node and port they are about,
 * and a message for people that quotes the bad input.
 */
export type GraphErrorCode =
  | 'malformed_json'
  | 'invalid_document'
  | 'unsupported_version'
  | 'duplicate_node'
  | 'unknown_block'
  | 'invalid_param'
  | 'unknown_port'
  | 'dangling_edge'
  | 'duplicate_input'
  | 'missing_input'
  | 'cycle'
  | 'shape_mismatch'
  | 'invalid_shape'
  | 'no_output';

export interface GraphError {
  code: GraphErrorCode;
  /** Id of the node the error is about, when there is one. */
  node?: string;
  /** Port of that node, when the error is about one connection. */
  port?: string;
  message: string;
}

/** Thrown by a block's `inferShape`; the inference pass turns it into a GraphError. */
export class ShapeError extends Error {
  constructor(
    readonly code: GraphErrorCode,
    message: string,
    readonly port?: string,
  ) {
    super(message);
  }
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
