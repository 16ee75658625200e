import { useWorkbenchState } from '../state/WorkbenchContext';
import { NodeInspector } from './NodeInspector';
import { GraphInspector } from './GraphInspector';

/** The right-hand panel: the selected node's details, or the graph's when nothing is selected. */
export function Inspector(): React.JSX.Element {
  const graph = useWorkbenchState((s) => s.graph);
  const report = useWorkbenchState((s) => s.report);
  const selected = useWorkbenchState((s) => s.selectedNode);
  const node = selected ? graph?.nodes.find((n) => n.id === selected) : undefined;
  return (
    <aside className="vb-inspector" data-testid="inspector" aria-label="Inspector">
      <h2 className="vb-panel-title">Inspector</h2>
      <div className="vb-panel-body">
        {!graph || !report ? (
          <p className="vb-empty">No graph is open.</p>
        ) : node ? (
          <NodeInspector node={node} report={report} />
        ) : (
          <GraphInspector graph={graph} report={report} />
        )}
      </div>
    </aside>
  );
}
