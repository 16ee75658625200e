import type { Host } from '../host/Host';
import { TopBar } from './TopBar';
import { ActivityRail } from './ActivityRail';
import { SidePanel } from './SidePanel';
import { Canvas } from './Canvas';
import { Inspector } from './Inspector';
import { BottomDock } from './BottomDock';
import { StatusBar } from './StatusBar';
import { Notice } from './Notice';

/** The workbench screen (DESIGN.md §1): top bar, rail and side panel, canvas, inspector, dock, status bar. */
export function App({ hostKind }: { hostKind: Host['kind'] }): React.JSX.Element {
  return (
    <div className="vb-app" data-testid="app">
      <TopBar />
      <div className="vb-main">
        <ActivityRail />
        <SidePanel />
        <div className="vb-centre">
          <Canvas />
          <BottomDock />
        </div>
        <Inspector />
      </div>
      <StatusBar hostKind={hostKind} />
      <Notice />
    </div>
  );
}
