import { spawn } from 'node:child_process';
import type { BackendInfo } from '../../core';
import { startBridge } from '../../server/bridge';
import { newToken } from '../../server/auth';
import { createHandlers } from '../../server/handlers';
import { ensureRendererBuilt } from '../../server/rendererBuild';
import { watchRuns } from '../../server/runWatcher';
import { printJsonLine } from '../output';
import { openCliStore, type StoreOptions } from '../storeOption';

export interface ServeOptions extends StoreOptions {
  port: number;
  open?: boolean;
  json?: boolean;
}

/** `visionbench serve`: the workbench in a browser, bound to 127.0.0.1 and guarded by a fresh token. */
export async function serveCommand(options: ServeOptions): Promise<number> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const staticDir = ensureRendererBuilt(log);
  const { store } = openCliStore(options);
  let backend: Promise<BackendInfo> | undefined;
  const token = newToken();
  const bridge = await startBridge({
    port: options.port,
    token,
    staticDir,
    handlers: createHandlers({ store, backendInfo: () => (backend ??= detectBackend()) }),
  });
  const stopWatching = watchRuns(store, 1000, (run) => bridge.broadcast({ type: 'runChanged', run }));
  const url = `${bridge.url}#token=${token}`;
  if (options.json) printJsonLine({ url, port: bridge.port, token, store: store.file });
  else process.stdout.write(`VisionBench is running at ${url}\nStore: ${store.file}\nPress Ctrl+C to stop.\n`);
  if (options.open) openBrowser(url, log);

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  stopWatching();
  await bridge.close();
  store.close();
  // The wasm backend's worker threads (loaded for backend detection) would keep us alive.
  process.exit(0);
}

async function detectBackend(): Promise<BackendInfo> {
  const { initBackend } = await import('../../backend/selectBackend');
  const chosen = await initBackend();
  return { name: chosen.name, threads: chosen.threads, label: chosen.label };
}

function openBrowser(url: string, log: (line: string) => void): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(command, [url], { detached: true, stdio: 'ignore' });
  child.on('error', () => log(`Could not open a browser here; open the URL above yourself.`));
  child.unref();
}
