import {
  checkGraphDocument,
  summarizeGraph,
  type ApiHandlers,
  type ApiMethod,
  type ApiRequest,
  type ApiResponse,
  type BackendInfo,
  type EngineEvent,
  type GraphIR,
  type MetricSeries,
  type RunDetail,
} from '../../../main/core';
import { HostError, type Host } from './Host';
import { checkRequest, checkResponse } from './contractChecks';

export interface MemoryFixtures {
  templates: GraphIR[];
  runs?: RunDetail[];
  /** Metric series per run id. */
  metrics?: Record<string, MetricSeries[]>;
  backend?: BackendInfo;
}

/**
 * An engine in memory for tests and demos: the same contract, answered from fixtures, with
 * requests and responses checked by the same schemas as the real transports.
 */
export class MemoryHost implements Host {
  readonly kind = 'memory' as const;
  /** Every call made, in order, for assertions. */
  readonly calls: { method: ApiMethod; request: unknown }[] = [];
  private readonly listeners = new Set<(event: EngineEvent) => void>();
  private readonly handlers: ApiHandlers;

  constructor(private readonly fixtures: MemoryFixtures) {
    this.handlers = makeHandlers(fixtures);
  }

  async invoke<M extends ApiMethod>(method: M, request: ApiRequest<M>): Promise<ApiResponse<M>> {
    const parsed = checkRequest(method, request);
    this.calls.push({ method, request: parsed });
    const handler = this.handlers[method] as (r: unknown) => Promise<unknown>;
    return checkResponse(method, await handler(parsed));
  }

  onEvent(callback: (event: EngineEvent) => void): () => void {
    this.listeners.add(callback);
    return () => void this.listeners.delete(callback);
  }

  /** Pushes an event to every subscriber, as the engine would. */
  emit(event: EngineEvent): void {
    if (event.type === 'runChanged') {
      const runs = (this.fixtures.runs ??= []);
      const index = runs.findIndex((r) => r.id === event.run.id);
      if (index >= 0) runs[index] = { ...runs[index], ...event.run };
    }
    for (const listener of this.listeners) listener(event);
  }
}

function makeHandlers(fixtures: MemoryFixtures): ApiHandlers {
  const findRun = (runId: string): RunDetail => {
    const run = fixtures.runs?.find((r) => r.id === runId);
    if (!run) throw new HostError('not_found', `No run with id "${runId}"`);
    return run;
  };
  return {
    health: async () => ({ ok: true }),
    backendInfo: async () => fixtures.backend ?? { name: 'memory', threads: 1, label: 'memory' },
    listTemplates: async () => fixtures.templates.map((graph) => summarizeGraph(graph.name, graph)),
    getTemplate: async ({ name }) => {
      const graph = fixtures.templates.find((t) => t.name === name);
      if (!graph) throw new HostError('not_found', `No template named "${name}"`);
      return { graph: structuredClone(graph) };
    },
    checkGraph: async ({ graph }) => checkGraphDocument(graph),
    listRuns: async () => (fixtures.runs ?? []).map(({ graph: _g, hyperParams: _h, imagesPerSecond: _i, ...summary }) => summary),
    getRun: async ({ runId }) => findRun(runId),
    getMetrics: async ({ runId, names }) => {
      findRun(runId);
      const series = fixtures.metrics?.[runId] ?? [];
      return names ? series.filter((s) => names.includes(s.name)) : series;
    },
  };
}
