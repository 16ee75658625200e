import fs from 'node:fs';
import path from 'node:path';
import { EXIT_OK, InvalidInputError, printJsonLine } from '../output';
import { openCliStore, type StoreOptions } from '../storeOption';

/** `visionbench store backup <file>`: a consistent copy through SQLite's online backup, safe while trainers write. */
export async function storeBackupCommand(destination: string, options: StoreOptions & { json?: boolean }): Promise<number> {
  const target = path.resolve(destination);
  if (fs.existsSync(target)) throw new InvalidInputError(`${target} already exists; choose a new file`);
  const { store } = openCliStore(options);
  try {
    await store.backup(target);
    const bytes = fs.statSync(target).size;
    if (options.json) printJsonLine({ store: store.file, backup: target, bytes });
    else process.stdout.write(`Backed up ${store.file} to ${target} (${bytes} bytes)\n`);
    return EXIT_OK;
  } finally {
    store.close();
  }
}
