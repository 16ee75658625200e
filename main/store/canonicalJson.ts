import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every depth and no whitespace, so that two IR documents
 * that differ only in key order or formatting hash the same. Array order is kept: node
 * and edge order is not semantically meaningful, but reordering them is a real edit.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  // Honour toJSON (Dates) the way JSON.stringify would before sorting.
  const maybe = value as { toJSON?: () => unknown };
  if (typeof maybe.toJSON === 'function') return sortKeys(maybe.toJSON());
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
  return out;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The hash stored as `runs.ir_hash`. */
export function irHash(graph: unknown): string {
  return sha256Hex(canonicalJson(graph));
}
