import { checkGraphDocument, type ApiHandlers, type BackendInfo } from '../core';
import type { ExperimentStore } from '../store/openStore';
import { listTemplates, loadTemplate, templateNames } from '../templates/templateLibrary';
import { ApiFailure } from './apiRoute';

export interface EngineContext {
  store: ExperimentStore;
  /** Which backend training would use here; computed once, on first request. */
  backendInfo(): Promise<BackendInfo>;
}

/** The engine's implementation of the API contract, one handler per call. */
export function createHandlers(ctx: EngineContext): ApiHandlers {
  const requireRun = (runId: string) => {
    const run = ctx.store.getRun(runId);
    if (!run) throw new ApiFailure(404, 'unknown_run', `No run "${runId}"`);
    return run;
  };
  return {
    health: async () => ({ ok: true }),
    backendInfo: () => ctx.backendInfo(),
    listTemplates: async () => listTemplates(),
    getTemplate: async ({ name }) => {
      if (!templateNames().includes(name)) throw new ApiFailure(404, 'unknown_template', `No template "${name}"`);
      return { graph: loadTemplate(name) };
    },
    checkGraph: async ({ graph }) => checkGraphDocument(graph),
    listRuns: async () => ctx.store.listRuns(),
    getRun: async ({ runId }) => {
      const { irHash: _hash, seed: _seed, pid: _pid, host: _host, startedAt: _started, ...detail } = requireRun(runId);
      return detail;
    },
    getMetrics: async ({ runId, names }) => {
      requireRun(runId);
      return ctx.store.getMetrics(runId, names);
    },
  };
}
