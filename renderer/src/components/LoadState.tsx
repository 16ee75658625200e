import type { Loadable } from '../state/workbench';

/** What a panel shows while its data is on its way or failed to come. */
export function LoadState({ state, what }: { state: Loadable<unknown>; what: string }): React.JSX.Element | null {
  if (state.status === 'error') {
    return (
      <p className="vb-error-text" role="alert">
        Could not load {what}: {state.message}
      </p>
    );
  }
  if (state.status === 'ready') return null;
  return <p className="vb-empty">Loading {what}…</p>;
}
