import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { latestFinishedRun, seedStore, startServe, type E2eEngine } from './engine';

/**
 * Seeds a temporary store with one finished run and starts `visionbench serve` on it. The
 * tests read its address from VISIONBENCH_E2E; the returned function stops it again.
 * VISIONBENCH_E2E_STORE=FILE copies an already seeded store instead of training (faster
 * local iterations; CI always trains).
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'visionbench-e2e-'));
  const store = join(dir, 'store.sqlite');
  const seeded = process.env.VISIONBENCH_E2E_STORE;
  if (seeded) copyFileSync(seeded, store);
  const runId = seeded ? latestFinishedRun(store) : seedStore(store);
  const serve = await startServe(store);
  const engine: E2eEngine = { url: serve.url, origin: `http://127.0.0.1:${serve.port}`, token: serve.token, store, runId };
  process.env.VISIONBENCH_E2E = JSON.stringify(engine);
  return async () => {
    serve.child.kill('SIGTERM');
    if (serve.child.exitCode === null) await new Promise((resolve) => serve.child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  };
}
