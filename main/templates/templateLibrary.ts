import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseGraph, summarizeGraph, type GraphError, type GraphIR, type TemplateSummary } from '../core';

/** The shipped templates folder (`templates/` at the repository root). */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

export function templateNames(dir = TEMPLATES_DIR): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

export function loadTemplate(name: string, dir = TEMPLATES_DIR): GraphIR {
  const file = path.join(dir, `${name}.json`);
  const parsed = parseGraph(fs.readFileSync(file, 'utf8'));
  if (!parsed.ok) throw new Error(`Template ${name} is invalid: ${parsed.errors.map((e) => e.message).join('; ')}`);
  return parsed.graph;
}

export function listTemplates(dir = TEMPLATES_DIR): TemplateSummary[] {
  return templateNames(dir).map((name) => summarizeGraph(name, loadTemplate(name, dir)));
}

export type GraphSource = { ok: true; graph: GraphIR; source: string } | { ok: false; errors: GraphError[]; source: string };

/**
 * Resolves what a user typed: a path to an IR file, or a template name. A name that is both
 * an existing file and a template is read as the file, since that is what was pointed at.
 */
export function readGraphArgument(arg: string, dir = TEMPLATES_DIR): GraphSource {
  if (fs.existsSync(arg) && fs.statSync(arg).isFile()) {
    const parsed = parseGraph(fs.readFileSync(arg, 'utf8'));
    return parsed.ok ? { ok: true, graph: parsed.graph, source: arg } : { ok: false, errors: parsed.errors, source: arg };
  }
  if (templateNames(dir).includes(arg)) return { ok: true, graph: loadTemplate(arg, dir), source: `template ${arg}` };
  return {
    ok: false,
    source: arg,
    errors: [{ code: 'invalid_document', message: `"${arg}" is neither a graph file nor a template (templates: ${templateNames(dir).join(', ')})` }],
  };
}
