import { inferGraph, type BackendInfo, type GraphIR, type GraphReport, type MetricSeries, type RunSummary, type TemplateSummary } from '../../../main/core';

/** Data that arrives from the engine: not asked yet, on its way, here, or failed with a message. */
export type Loadable<T> =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ready'; data: T }
  | { status: 'error'; message: string };

export type SidePanel = 'blocks' | 'templates' | 'runs';
export type DockTab = 'problems' | 'training';

export interface WorkbenchState {
  projectName: string;
  panel: SidePanel;
  dock: DockTab;
  backend: Loadable<BackendInfo>;
  /** The graph open on the canvas, with its inference report (recomputed on every change). */
  graph: GraphIR | null;
  report: GraphReport | null;
  selectedNode: string | null;
  templates: Loadable<TemplateSummary[]>;
  runs: Loadable<RunSummary[]>;
  selectedRun: string | null;
  metrics: Loadable<MetricSeries[]>;
  /** The latest failure worth telling the user about. */
  notice: string | null;
}

export type WorkbenchAction =
  | { type: 'panelShown'; panel: SidePanel }
  | { type: 'dockShown'; tab: DockTab }
  | { type: 'backendLoaded'; backend: Loadable<BackendInfo> }
  | { type: 'templatesLoaded'; templates: Loadable<TemplateSummary[]> }
  | { type: 'graphOpened'; graph: GraphIR }
  | { type: 'nodeSelected'; id: string | null }
  | { type: 'nodeMoved'; id: string; position: { x: number; y: number } }
  | { type: 'runsLoaded'; runs: Loadable<RunSummary[]> }
  | { type: 'runChanged'; run: RunSummary }
  | { type: 'runSelected'; id: string | null }
  | { type: 'metricsLoaded'; runId: string; metrics: Loadable<MetricSeries[]> }
  | { type: 'failed'; message: string }
  | { type: 'noticeDismissed' };

export const initialWorkbench: WorkbenchState = {
  projectName: 'Sample project',
  panel: 'templates',
  dock: 'problems',
  backend: { status: 'idle' },
  graph: null,
  report: null,
  selectedNode: null,
  templates: { status: 'idle' },
  runs: { status: 'idle' },
  selectedRun: null,
  metrics: { status: 'idle' },
  notice: null,
};

/** Every change to the workbench, as a pure function of the state and one action. */
export function workbenchReducer(state: WorkbenchState, action: WorkbenchAction): WorkbenchState {
  switch (action.type) {
    case 'panelShown':
      return { ...state, panel: action.panel };
    case 'dockShown':
      return { ...state, dock: action.tab };
    case 'backendLoaded':
      return { ...state, backend: action.backend };
    case 'templatesLoaded':
      return { ...state, templates: action.templates };
    case 'graphOpened':
      return { ...state, graph: action.graph, report: inferGraph(action.graph), selectedNode: null };
    case 'nodeSelected':
      if (action.id !== null && !state.graph?.nodes.some((n) => n.id === action.id)) return state;
      return action.id === state.selectedNode ? state : { ...state, selectedNode: action.id };
    case 'nodeMoved': {
      if (!state.graph) return state;
      // Positions do not change shapes, so the report is kept as it is.
      const nodes = state.graph.nodes.map((n) => (n.id === action.id ? { ...n, position: action.position } : n));
      return { ...state, graph: { ...state.graph, nodes } };
    }
    case 'runsLoaded':
      return { ...state, runs: action.runs };
    case 'runChanged': {
      if (state.runs.status !== 'ready') return state;
      const exists = state.runs.data.some((r) => r.id === action.run.id);
      const data = exists ? state.runs.data.map((r) => (r.id === action.run.id ? action.run : r)) : [action.run, ...state.runs.data];
      return { ...state, runs: { status: 'ready', data } };
    }
    case 'runSelected':
      if (action.id === state.selectedRun) return state;
      return { ...state, selectedRun: action.id, metrics: action.id ? { status: 'loading' } : { status: 'idle' }, dock: action.id ? 'training' : state.dock };
    case 'metricsLoaded':
      // A late answer for a run that is no longer selected is dropped.
      return action.runId === state.selectedRun ? { ...state, metrics: action.metrics } : state;
    case 'failed':
      return { ...state, notice: action.message };
    case 'noticeDismissed':
      return { ...state, notice: null };
  }
}
