import { EXIT_OK, InvalidInputError, printJsonLine } from '../output';
import { openCliStore, type StoreOptions } from '../storeOption';

/** `visionbench runs delete <id>`: the run, its metrics, checkpoints and artefact folder. */
export function runsDeleteCommand(runId: string, options: StoreOptions & { force?: boolean; json?: boolean }): number {
  const { store } = openCliStore(options);
  try {
    const run = store.getRun(runId);
    if (!run) throw new InvalidInputError(`No run "${runId}" in ${store.file}`);
    if (run.status === 'running' && !options.force) throw new InvalidInputError(`Run "${runId}" is running; stop it first or pass --force`);
    store.deleteRun(runId, { force: options.force });
    if (options.json) printJsonLine({ deleted: runId });
    else process.stdout.write(`Deleted run ${runId}\n`);
    return EXIT_OK;
  } finally {
    store.close();
  }
}
