import { describe, expect, it } from 'vitest';
import { createWorkbench, LOSS_METRICS } from '../../../renderer/src/state/commands';
import { initialWorkbench, workbenchReducer } from '../../../renderer/src/state/workbench';
import { HostError, type Host } from '../../../renderer/src/host/Host';
import { loadTemplate, memoryHost } from './fixtures';

describe('workbenchReducer', () => {
  const graph = loadTemplate('tiny_resnet');
  const opened = workbenchReducer(initialWorkbench, { type: 'graphOpened', graph });

  it('infers the report when a graph opens', () => {
    expect(opened.report?.ok).toBe(true);
    expect(opened.report?.totals.params).toBeGreaterThan(700_000);
  });

  it('selects only nodes that exist', () => {
    expect(workbenchReducer(opened, { type: 'nodeSelected', id: 'pool' }).selectedNode).toBe('pool');
    expect(workbenchReducer(opened, { type: 'nodeSelected', id: 'ghost' })).toBe(opened);
  });

  it('moves a node in the IR without touching the others', () => {
    const moved = workbenchReducer(opened, { type: 'nodeMoved', id: 'pool', position: { x: 1, y: 2 } });
    expect(moved.graph!.nodes.find((n) => n.id === 'pool')!.position).toEqual({ x: 1, y: 2 });
    expect(moved.graph!.nodes.find((n) => n.id === 'head')).toBe(opened.graph!.nodes.find((n) => n.id === 'head'));
  });

  it('drops metrics that arrive for a run no longer selected', () => {
    const selected = workbenchReducer(initialWorkbench, { type: 'runSelected', id: 'b' });
    expect(selected.dock).toBe('training');
    const late = workbenchReducer(selected, { type: 'metricsLoaded', runId: 'a', metrics: { status: 'ready', data: [] } });
    expect(late).toBe(selected);
  });
});

describe('createWorkbench with MemoryHost', () => {
  it('starts with the sample project, backend, templates and runs', async () => {
    const host = memoryHost();
    const workbench = createWorkbench(host);
    await workbench.start();
    const state = workbench.store.getState();
    expect(state.graph?.name).toBe('tiny_resnet');
    expect(state.backend).toEqual({ status: 'ready', data: { name: 'wasm', threads: 2, label: 'wasm ×2 threads' } });
    expect(state.templates.status).toBe('ready');
    expect(state.runs.status === 'ready' && state.runs.data.map((r) => r.id)).toEqual(['run-1']);
    workbench.stop();
  });

  it('loads the loss curves of a selected run', async () => {
    const host = memoryHost();
    const workbench = createWorkbench(host);
    await workbench.start();
    await workbench.selectRun('run-1');
    const { metrics } = workbench.store.getState();
    expect(metrics.status === 'ready' && metrics.data.map((m) => m.name)).toEqual(LOSS_METRICS);
    expect(host.calls.at(-1)).toEqual({ method: 'getMetrics', request: { runId: 'run-1', names: LOSS_METRICS } });
  });

  it('applies runChanged events to the list', async () => {
    const host = memoryHost();
    const workbench = createWorkbench(host);
    await workbench.start();
    const runs = await host.invoke('listRuns', {});
    host.emit({ type: 'runChanged', run: { ...runs[0], id: 'run-2', name: 'new run', status: 'running' } });
    const state = workbench.store.getState();
    expect(state.runs.status === 'ready' && state.runs.data.map((r) => r.id)).toEqual(['run-2', 'run-1']);
  });

  it('opens another template', async () => {
    const workbench = createWorkbench(memoryHost());
    await workbench.start();
    await workbench.openTemplate('resnet18');
    expect(workbench.store.getState().report?.totals.params).toBe(11_689_512);
  });

  it('records failures as values instead of throwing', async () => {
    const broken: Host = {
      kind: 'memory',
      invoke: async (method) => {
        throw new HostError('engine_unreachable', `cannot ${method}`);
      },
      onEvent: () => () => {},
    };
    const workbench = createWorkbench(broken);
    await workbench.start();
    const state = workbench.store.getState();
    expect(state.backend).toEqual({ status: 'error', message: 'cannot backendInfo' });
    expect(state.runs.status).toBe('error');
    expect(state.notice).toContain('tiny_resnet');
  });
});
