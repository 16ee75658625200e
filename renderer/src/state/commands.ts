import type { Host } from '../host/Host';
import { createStore, type Store } from './store';
import { initialWorkbench, workbenchReducer, type Loadable, type WorkbenchAction, type WorkbenchState } from './workbench';

/** The template the sample project opens with. */
export const SAMPLE_TEMPLATE = 'tiny_resnet';

/** Metric series the run view draws. */
export const LOSS_METRICS = ['train/loss', 'val/loss'];

export type WorkbenchStore = Store<WorkbenchState, WorkbenchAction>;

/**
 * What the UI can ask for. Each command talks to the Host and records the outcome as actions,
 * so components stay free of transport code and tests can drive the same functions.
 */
export interface Workbench {
  store: WorkbenchStore;
  start(): Promise<void>;
  stop(): void;
  openTemplate(name: string): Promise<void>;
  selectRun(id: string | null): Promise<void>;
  refreshRuns(): Promise<void>;
}

export function createWorkbench(host: Host, initial: WorkbenchState = initialWorkbench): Workbench {
  const store = createStore(workbenchReducer, initial);
  const { dispatch } = store;
  let unsubscribe: (() => void) | null = null;

  async function load<T>(call: () => Promise<T>): Promise<Loadable<T>> {
    try {
      return { status: 'ready', data: await call() };
    } catch (e) {
      return { status: 'error', message: (e as Error).message };
    }
  }

  async function openTemplate(name: string): Promise<void> {
    try {
      const { graph } = await host.invoke('getTemplate', { name });
      dispatch({ type: 'graphOpened', graph });
    } catch (e) {
      dispatch({ type: 'failed', message: `Could not open template "${name}": ${(e as Error).message}` });
    }
  }

  async function refreshRuns(): Promise<void> {
    if (store.getState().runs.status !== 'ready') dispatch({ type: 'runsLoaded', runs: { status: 'loading' } });
    dispatch({ type: 'runsLoaded', runs: await load(() => host.invoke('listRuns', {})) });
  }

  async function selectRun(id: string | null): Promise<void> {
    dispatch({ type: 'runSelected', id });
    if (!id) return;
    const metrics = await load(() => host.invoke('getMetrics', { runId: id, names: LOSS_METRICS }));
    dispatch({ type: 'metricsLoaded', runId: id, metrics });
  }

  async function start(): Promise<void> {
    unsubscribe = host.onEvent((event) => {
      if (event.type !== 'runChanged') return;
      dispatch({ type: 'runChanged', run: event.run });
      // A run that just finished while selected has new points to draw.
      if (store.getState().selectedRun === event.run.id) void reloadMetrics(event.run.id);
    });
    dispatch({ type: 'backendLoaded', backend: { status: 'loading' } });
    dispatch({ type: 'templatesLoaded', templates: { status: 'loading' } });
    await Promise.all([
      load(() => host.invoke('backendInfo', {})).then((backend) => dispatch({ type: 'backendLoaded', backend })),
      load(() => host.invoke('listTemplates', {})).then((templates) => dispatch({ type: 'templatesLoaded', templates })),
      openTemplate(SAMPLE_TEMPLATE),
      refreshRuns(),
    ]);
  }

  async function reloadMetrics(id: string): Promise<void> {
    const metrics = await load(() => host.invoke('getMetrics', { runId: id, names: LOSS_METRICS }));
    dispatch({ type: 'metricsLoaded', runId: id, metrics });
  }

  return {
    store,
    start,
    stop: () => unsubscribe?.(),
    openTemplate,
    selectRun,
    refreshRuns,
  };
}
