import { useWorkbench, useWorkbenchState } from '../state/WorkbenchContext';

/** The latest failure, until the user dismisses it. */
export function Notice(): React.JSX.Element | null {
  const { store } = useWorkbench();
  const notice = useWorkbenchState((s) => s.notice);
  if (!notice) return null;
  return (
    <div className="vb-notice" role="alert" data-testid="notice">
      <span>{notice}</span>
      <button type="button" aria-label="Dismiss" onClick={() => store.dispatch({ type: 'noticeDismissed' })}>
        ×
      </button>
    </div>
  );
}
