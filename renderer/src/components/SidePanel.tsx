import { useWorkbenchState } from '../state/WorkbenchContext';
import { BlocksPanel } from './BlocksPanel';
import { TemplatesPanel } from './TemplatesPanel';
import { RunsPanel } from './RunsPanel';

const TITLES = { blocks: 'Blocks', templates: 'Templates', runs: 'Runs' } as const;

/** The panel beside the rail; which one shows is part of the workbench state. */
export function SidePanel(): React.JSX.Element {
  const panel = useWorkbenchState((s) => s.panel);
  return (
    <aside className="vb-side" data-testid={`panel-${panel}`} aria-label={TITLES[panel]}>
      <h2 className="vb-panel-title">{TITLES[panel]}</h2>
      <div className="vb-panel-body">
        {panel === 'blocks' && <BlocksPanel />}
        {panel === 'templates' && <TemplatesPanel />}
        {panel === 'runs' && <RunsPanel />}
      </div>
    </aside>
  );
}
