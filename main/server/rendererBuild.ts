import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const RENDERER_DIR = path.join(ROOT, 'out', 'renderer');

/** The built UI; built once (a few seconds) if a fresh clone has not built it yet. */
export function ensureRendererBuilt(log: (line: string) => void): string {
  if (fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) return RENDERER_DIR;
  log('Building the workbench UI (first start only)...');
  const cli = path.join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const result = spawnSync(process.execPath, [cli, 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0 || !fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    throw new Error('Could not build the UI: run `npm run build` and look at its errors');
  }
  return RENDERER_DIR;
}
