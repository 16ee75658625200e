import { useWorkbenchState } from '../state/WorkbenchContext';

/** Project name, the open graph, and the backend the engine trains on. */
export function TopBar(): React.JSX.Element {
  const projectName = useWorkbenchState((s) => s.projectName);
  const graphName = useWorkbenchState((s) => s.graph?.name ?? null);
  const backend = useWorkbenchState((s) => s.backend);
  return (
    <header className="vb-topbar">
      <div className="vb-brand">
        <span className="vb-logo" aria-hidden="true" />
        VisionBench
      </div>
      <div className="vb-breadcrumb">
        <span data-testid="project-name">{projectName}</span>
        {graphName && (
          <>
            <span className="vb-sep">/</span>
            <span className="vb-graph-name" data-testid="graph-name">
              {graphName}
            </span>
          </>
        )}
      </div>
      <div className="vb-topbar-end">
        <span className={`vb-badge is-${backend.status}`} data-testid="backend-badge" title="The engine's training backend">
          {backend.status === 'ready' ? backend.data.label : backend.status === 'error' ? 'engine offline' : 'detecting backend…'}
        </span>
      </div>
    </header>
  );
}
