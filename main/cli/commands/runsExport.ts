import { EXIT_OK, InvalidInputError } from '../output';
import { openCliStore, type StoreOptions } from '../storeOption';

/** Quotes a CSV field when it needs it (RFC 4180). */
function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** `visionbench runs export <id> --csv`: every metric point as `step,epoch,name,value` rows. */
export function runsExportCommand(runId: string, options: StoreOptions & { csv?: boolean }): number {
  if (!options.csv) throw new InvalidInputError('Say the format: --csv');
  const { store } = openCliStore(options);
  try {
    if (!store.getRun(runId)) throw new InvalidInputError(`No run "${runId}" in ${store.file}`);
    const rows = store.getMetrics(runId).flatMap((s) => s.points.map((p) => ({ ...p, name: s.name })));
    rows.sort((a, b) => a.step - b.step || a.name.localeCompare(b.name));
    process.stdout.write('step,epoch,name,value\n');
    for (const r of rows) process.stdout.write(`${[r.step, r.epoch, r.name, r.value].map(csvField).join(',')}\n`);
    return EXIT_OK;
  } finally {
    store.close();
  }
}
