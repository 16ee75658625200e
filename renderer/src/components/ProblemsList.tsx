import { useWorkbench, useWorkbenchState } from '../state/WorkbenchContext';

/** Every graph error; clicking one selects the node it is about. */
export function ProblemsList(): React.JSX.Element {
  const { store } = useWorkbench();
  const errors = useWorkbenchState((s) => s.report?.errors);
  if (!errors || errors.length === 0) {
    return (
      <p className="vb-empty" data-testid="no-problems">
        No problems: every node has a shape.
      </p>
    );
  }
  return (
    <ul className="vb-problems" data-testid="problems">
      {errors.map((e, i) => (
        <li key={i}>
          <button type="button" className="vb-problem" disabled={!e.node} onClick={() => e.node && store.dispatch({ type: 'nodeSelected', id: e.node })}>
            <span className="vb-problem-code">{e.code}</span>
            <span>{e.message}</span>
            {e.node && <span className="vb-problem-node">{e.node}</span>}
          </button>
        </li>
      ))}
    </ul>
  );
}
