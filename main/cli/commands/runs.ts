import { openCliStore, type StoreOptions } from '../storeOption';
import { printJsonLine, printTable } from '../output';

/** `visionbench runs list [--json]`: newest first, with status and last metrics. */
export function runsListCommand(options: StoreOptions & { json?: boolean }): number {
  const { store } = openCliStore(options);
  try {
    const runs = store.listRuns();
    if (options.json) {
      printJsonLine(runs);
      return 0;
    }
    if (runs.length === 0) {
      process.stdout.write(`No runs yet in ${store.file}\n`);
      return 0;
    }
    const pct = (x: number | undefined) => (x === undefined ? '-' : `${(100 * x).toFixed(1)}%`);
    printTable([
      ['RUN', 'NAME', 'STATUS', 'BACKEND', 'EPOCHS', 'VAL/TOP1', 'CREATED'],
      ...runs.map((r) => [r.id, r.name, r.status, r.backend ?? '-', String(r.epochs), pct(r.metrics['val/top1']), r.createdAt]),
    ]);
    return 0;
  } finally {
    store.close();
  }
}
