import { formatBytes, formatCount, formatFlops } from '../../../main/core';
import type { Host } from '../host/Host';
import { useWorkbenchState } from '../state/WorkbenchContext';

const HOST_LABELS: Record<Host['kind'], string> = { electron: 'desktop', web: 'browser', memory: 'in memory' };

/** Graph totals at a glance, and whether the graph is valid. */
export function StatusBar({ hostKind }: { hostKind: Host['kind'] }): React.JSX.Element {
  const report = useWorkbenchState((s) => s.report);
  const problems = report?.errors.length ?? 0;
  return (
    <footer className="vb-statusbar" data-testid="status-bar">
      {report ? (
        <>
          <span className={problems ? 'vb-status-bad' : 'vb-status-ok'} data-testid="status-problems">
            {problems ? `${problems} problem${problems > 1 ? 's' : ''}` : 'graph ok'}
          </span>
          <span data-testid="total-params">{formatCount(report.totals.params)} params</span>
          <span data-testid="total-flops">{formatFlops(report.totals.flops)}</span>
          <span data-testid="total-activations">{formatBytes(report.totals.activationBytes)} activations / sample</span>
        </>
      ) : (
        <span>No graph</span>
      )}
      <span className="vb-status-end">{HOST_LABELS[hostKind]}</span>
    </footer>
  );
}
