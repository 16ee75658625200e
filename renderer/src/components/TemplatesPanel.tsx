import { formatCount, formatFlops, formatShapeForPeople } from '../../../main/core';
import { useWorkbench, useWorkbenchState } from '../state/WorkbenchContext';
import { LoadState } from './LoadState';

/** Templates the engine offers, with their size and cost; clicking one opens it on the canvas. */
export function TemplatesPanel(): React.JSX.Element {
  const workbench = useWorkbench();
  const templates = useWorkbenchState((s) => s.templates);
  const openName = useWorkbenchState((s) => s.graph?.name ?? null);
  if (templates.status !== 'ready') return <LoadState state={templates} what="templates" />;
  if (templates.data.length === 0) return <p className="vb-empty">The engine offers no templates.</p>;
  return (
    <ul className="vb-list">
      {templates.data.map((t) => (
        <li key={t.name}>
          <button
            type="button"
            className={t.name === openName ? 'vb-card is-active' : 'vb-card'}
            data-testid={`template-${t.name}`}
            aria-current={t.name === openName}
            onClick={() => void workbench.openTemplate(t.name)}
          >
            <div className="vb-card-head">
              <span className="vb-item-title">{t.name}</span>
              <span className="vb-chip">{t.tasks.join(', ') || 'graph'}</span>
            </div>
            {t.description && <div className="vb-item-doc">{t.description}</div>}
            <div className="vb-card-stats">
              <span title="Parameters">{formatCount(t.params)} params</span>
              <span title="FLOPs per sample">{formatFlops(t.flops)}</span>
              <span title="Input shape">{formatShapeForPeople(t.input)}</span>
            </div>
          </button>
        </li>
      ))}
    </ul>
  );
}
