import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import 'uplot/dist/uPlot.min.css';
import './styles/theme.css';
import './styles/layout.css';
import './styles/panels.css';
import './styles/canvas.css';
import { pickHost } from './host/pickHost';
import { createWorkbench } from './state/commands';
import { WorkbenchProvider } from './state/WorkbenchContext';
import { App } from './components/App';
import { NoEngine } from './components/NoEngine';

const root = createRoot(document.getElementById('root')!);
const choice = pickHost();
if (choice.ok) {
  const workbench = createWorkbench(choice.host);
  void workbench.start();
  root.render(
    <StrictMode>
      <WorkbenchProvider value={workbench}>
        <App hostKind={choice.host.kind} />
      </WorkbenchProvider>
    </StrictMode>,
  );
} else {
  root.render(<NoEngine reason={choice.reason} />);
}
