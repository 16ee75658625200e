import { defaultStorePath } from '../store/paths';
import { openStore, type ExperimentStore } from '../store/openStore';

export interface StoreOptions {
  store?: string;
}

/** `--store FILE`, else `VISIONBENCH_STORE`, else the per-user default. */
export function resolveStoreFile(options: StoreOptions): string {
  return options.store ?? defaultStorePath();
}

export function openCliStore(options: StoreOptions): { store: ExperimentStore; file: string } {
  const file = resolveStoreFile(options);
  return { store: openStore(file), file };
}
