import { formatMetric, formatPercent } from '../format/runFormat';
import { useWorkbenchState } from '../state/WorkbenchContext';
import { LoadState } from './LoadState';
import { LossChart } from './LossChart';

/** The selected run's loss curves and its last metrics. */
export function TrainingView(): React.JSX.Element {
  const runId = useWorkbenchState((s) => s.selectedRun);
  const runs = useWorkbenchState((s) => s.runs);
  const metrics = useWorkbenchState((s) => s.metrics);
  const run = runId && runs.status === 'ready' ? runs.data.find((r) => r.id === runId) : undefined;
  if (!run) return <p className="vb-empty">Select a run in the Runs panel to see its curves.</p>;
  return (
    <div className="vb-training" data-testid="training-view">
      <div className="vb-training-side">
        <div className="vb-item-title">{run.name}</div>
        <dl className="vb-metrics">
          <div>
            <dt>val/top1</dt>
            <dd data-testid="run-top1">{formatPercent(run.metrics['val/top1'])}</dd>
          </div>
          <div>
            <dt>val/loss</dt>
            <dd>{formatMetric(run.metrics['val/loss'])}</dd>
          </div>
          <div>
            <dt>train/loss</dt>
            <dd>{formatMetric(run.metrics['train/loss'])}</dd>
          </div>
        </dl>
      </div>
      {metrics.status === 'ready' ? (
        metrics.data.some((s) => s.points.length > 0) ? (
          <LossChart series={metrics.data} />
        ) : (
          <p className="vb-empty">This run has recorded no losses yet.</p>
        )
      ) : (
        <LoadState state={metrics} what="curves" />
      )}
    </div>
  );
}
