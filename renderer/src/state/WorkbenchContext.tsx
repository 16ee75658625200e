import { createContext, useContext, useSyncExternalStore } from 'react';
import type { Workbench } from './commands';
import type { WorkbenchState } from './workbench';

const WorkbenchContext = createContext<Workbench | null>(null);

export const WorkbenchProvider = WorkbenchContext.Provider;

export function useWorkbench(): Workbench {
  const workbench = useContext(WorkbenchContext);
  if (!workbench) throw new Error('useWorkbench needs a WorkbenchProvider above it');
  return workbench;
}

/** Reads one slice of the workbench state; the component re-renders when that slice changes. */
export function useWorkbenchState<T>(select: (state: WorkbenchState) => T): T {
  const { store } = useWorkbench();
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}
