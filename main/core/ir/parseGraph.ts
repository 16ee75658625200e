import type { GraphError } from '../errors';
import { GRAPH_IR_VERSION, GraphIRSchema, type GraphIR } from './schema';

export type ParseResult = { ok: true; graph: GraphIR } | { ok: false; errors: GraphError[] };

/**
 * Upgrades older documents step by step to the current version. Each step is a pure
 * function of the previous version's document; none exist yet because v1 is the first.
 */
const MIGRATIONS: Record<number, (doc: Record<string, unknown>) => Record<string, unknown>> = {};

/** Parses an IR document from text or a value. Never throws: problems come back as errors. */
export function parseGraph(input: string | unknown): ParseResult {
  let doc: unknown = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch (e) {
      return { ok: false, errors: [{ code: 'malformed_json', message: `Graph is not valid JSON: ${(e as Error).message}` }] };
    }
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return { ok: false, errors: [{ code: 'invalid_document', message: 'Graph must be a JSON object with version, name, nodes and edges' }] };
  }
  let record = doc as Record<string, unknown>;
  const version = record.version;
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    return { ok: false, errors: [{ code: 'unsupported_version', message: `Graph "version" must be an integer, got ${JSON.stringify(version)}` }] };
  }
  if (version > GRAPH_IR_VERSION || version < 1) {
    return {
      ok: false,
      errors: [{ code: 'unsupported_version', message: `Graph IR version ${version} is not supported (this build reads 1 to ${GRAPH_IR_VERSION})` }],
    };
  }
  for (let v = version; v < GRAPH_IR_VERSION; v++) record = MIGRATIONS[v](record);

  const parsed = GraphIRSchema.safeParse(record);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => ({
        code: 'invalid_document' as const,
        node: nodeIdAt(record, issue.path),
        message: `${issue.path.join('.') || 'graph'}: ${issue.message}`,
      })),
    };
  }
  return { ok: true, graph: parsed.data };
}

function nodeIdAt(doc: Record<string, unknown>, path: PropertyKey[]): string | undefined {
  if (path[0] !== 'nodes' || typeof path[1] !== 'number') return undefined;
  const node = (doc.nodes as unknown[])[path[1]];
  const id = (node as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}
