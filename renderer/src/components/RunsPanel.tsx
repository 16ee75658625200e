import { formatWhen, headlineMetric, sortRuns } from '../format/runFormat';
import { useWorkbench, useWorkbenchState } from '../state/WorkbenchContext';
import { LoadState } from './LoadState';

/** Every run in the store, newest first; selecting one shows its curves in the dock. */
export function RunsPanel(): React.JSX.Element {
  const workbench = useWorkbench();
  const runs = useWorkbenchState((s) => s.runs);
  const selected = useWorkbenchState((s) => s.selectedRun);
  if (runs.status !== 'ready') return <LoadState state={runs} what="runs" />;
  if (runs.data.length === 0) {
    return <p className="vb-empty">No runs yet. Train a model with `visionbench train` and it appears here.</p>;
  }
  return (
    <ul className="vb-list" data-testid="runs-list">
      {sortRuns(runs.data).map((run) => {
        const headline = headlineMetric(run);
        return (
          <li key={run.id}>
            <button
              type="button"
              className={run.id === selected ? 'vb-card is-active' : 'vb-card'}
              data-testid={`run-${run.id}`}
              aria-pressed={run.id === selected}
              onClick={() => void workbench.selectRun(run.id === selected ? null : run.id)}
            >
              <div className="vb-card-head">
                <span className="vb-item-title" data-testid="run-name">
                  {run.name}
                </span>
                <span className={`vb-status is-${run.status}`} data-testid="run-status">
                  {run.status}
                </span>
              </div>
              <div className="vb-card-stats">
                <span title={headline.label} data-testid="run-headline">
                  {headline.label} <strong>{headline.value}</strong>
                </span>
                <span title="Backend">{run.backend ?? '—'}</span>
              </div>
              <div className="vb-item-doc">
                {run.epochs} epoch{run.epochs === 1 ? '' : 's'} · {formatWhen(run.finishedAt ?? run.createdAt)}
              </div>
              {run.error && <div className="vb-error-text">{run.error}</div>}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
