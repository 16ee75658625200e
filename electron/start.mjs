// `npm start`: build, then open the desktop app, or, where Electron's binary is missing
// (it downloads lazily and cannot be downloaded on every machine), the browser UI.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);

/**
 * The Electron executable, or null when it is not installed. `require('electron')` would try
 * to download a missing binary, so the package's path.txt and dist/ are read directly.
 */
export function electronBinary() {
  let packageDir;
  try {
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (override) return join(override, relative ?? 'electron');
  if (!relative) return null;
  const binary = join(packageDir, 'dist', relative);
  return existsSync(binary) ? binary : null;
}

function run(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
}

function main() {
  const build = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('The build failed; see the errors above.');
    process.exit(2);
  }
  const binary = electronBinary();
  if (binary) {
    run(binary, [root, ...process.argv.slice(2)]);
    return;
  }
  console.log("Electron's binary is not installed (it cannot be downloaded here); opening the browser UI instead.");
  run(process.execPath, [join(root, 'bin', 'visionbench.mjs'), 'serve', '--open', ...process.argv.slice(2)]);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) main();
