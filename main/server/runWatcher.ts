import type { RunSummary } from '../core';
import type { ExperimentStore } from '../store/openStore';

/**
 * Trainers are other processes writing to SQLite, so the bridge learns about changes by
 * polling the store; every run whose summary changed is reported once per change.
 */
export function watchRuns(store: ExperimentStore, intervalMs: number, onChange: (run: RunSummary) => void): () => void {
  const seen = new Map<string, string>();
  const poll = () => {
    for (const run of store.listRuns()) {
      const key = JSON.stringify(run);
      if (seen.get(run.id) !== key) {
        if (seen.size > 0 || seen.has(run.id)) onChange(run);
        seen.set(run.id, key);
      }
    }
  };
  poll();
  const timer = setInterval(poll, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
