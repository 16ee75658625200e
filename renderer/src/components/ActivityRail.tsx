import { useWorkbench, useWorkbenchState } from '../state/WorkbenchContext';
import type { SidePanel } from '../state/workbench';
import { BlocksIcon, RunsIcon, TemplatesIcon } from './icons';

const ITEMS: { panel: SidePanel; label: string; Icon: () => React.JSX.Element }[] = [
  { panel: 'blocks', label: 'Blocks', Icon: BlocksIcon },
  { panel: 'templates', label: 'Templates', Icon: TemplatesIcon },
  { panel: 'runs', label: 'Runs', Icon: RunsIcon },
];

/** The left rail that switches the side panel. */
export function ActivityRail(): React.JSX.Element {
  const { store } = useWorkbench();
  const current = useWorkbenchState((s) => s.panel);
  return (
    <nav className="vb-rail" aria-label="Side panels" role="tablist" aria-orientation="vertical">
      {ITEMS.map(({ panel, label, Icon }) => (
        <button
          key={panel}
          type="button"
          role="tab"
          aria-selected={current === panel}
          title={label}
          data-testid={`rail-${panel}`}
          className={current === panel ? 'vb-rail-item is-active' : 'vb-rail-item'}
          onClick={() => store.dispatch({ type: 'panelShown', panel })}
        >
          <Icon />
          <span className="vb-rail-label">{label}</span>
        </button>
      ))}
    </nav>
  );
}
