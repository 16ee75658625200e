import os from 'node:os';
import path from 'node:path';

/**
 * Where the store lives when neither `--store` nor a caller says otherwise:
 * `VISIONBENCH_STORE`, else the platform's per-user data folder. Pure over its inputs so
 * every platform's branch is testable on any machine.
 */
export function defaultStorePath(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  if (env.VISIONBENCH_STORE) return env.VISIONBENCH_STORE;
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', 'VisionBench', 'store.sqlite');
  if (platform === 'win32') {
    const appData = env.APPDATA || path.win32.join(home, 'AppData', 'Roaming');
    return path.win32.join(appData, 'VisionBench', 'store.sqlite');
  }
  // XDG Base Directory spec: a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(home, '.local', 'share');
  return path.join(xdg, 'visionbench', 'store.sqlite');
}

/** Large artefacts (checkpoints, activations) go in a folder beside the SQLite file. */
export function storeDataDir(file: string): string {
  return `${file}-data`;
}
