import { useWorkbench, useWorkbenchState } from '../state/WorkbenchContext';
import type { DockTab } from '../state/workbench';
import { ProblemsList } from './ProblemsList';
import { TrainingView } from './TrainingView';

/** The dock under the canvas: graph problems and the selected run's training curves. */
export function BottomDock(): React.JSX.Element {
  const { store } = useWorkbench();
  const tab = useWorkbenchState((s) => s.dock);
  const problems = useWorkbenchState((s) => s.report?.errors.length ?? 0);
  const tabs: { id: DockTab; label: string }[] = [
    { id: 'problems', label: problems > 0 ? `Problems (${problems})` : 'Problems' },
    { id: 'training', label: 'Training' },
  ];
  return (
    <section className="vb-dock" aria-label="Dock">
      <div className="vb-dock-tabs" role="tablist">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            data-testid={`dock-tab-${t.id}`}
            className={tab === t.id ? 'vb-dock-tab is-active' : 'vb-dock-tab'}
            onClick={() => store.dispatch({ type: 'dockShown', tab: t.id })}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="vb-dock-body" role="tabpanel">
        {tab === 'problems' ? <ProblemsList /> : <TrainingView />}
      </div>
    </section>
  );
}
