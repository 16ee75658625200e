import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The main window's options. The page is untrusted as far as Node is concerned: it gets no
 * Node integration, runs sandboxed in its own context, and reaches the engine only through
 * the preload's two validated functions.
 */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'VisionBench',
    backgroundColor: '#16181d',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

/** The page may only ever be the app's own renderer; everything else is refused. */
export function isAllowedNavigation(target: string, appUrl: string): boolean {
  try {
    const to = new URL(target);
    const app = new URL(appUrl);
    if (to.protocol !== app.protocol) return false;
    if (to.protocol === 'file:') return to.pathname === app.pathname;
    return to.origin === app.origin;
  } catch {
    return false;
  }
}
