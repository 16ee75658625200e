import { BrowserWindow, app, ipcMain, session, shell } from 'electron';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { contentSecurityPolicy } from './csp';
import { followEngineEvents, invokeEngine } from './engineClient';
import { startEngine, type EngineProcess } from './engineProcess';
import { failure, type InvokeResult } from './ipcEnvelope';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from './ipcChannels';
import { checkInvoke } from './ipcValidation';
import { isAllowedNavigation, mainWindowOptions } from './windowOptions';

/** The repository (or app) root: out/main/index.js sits two folders below it. */
const appRoot = resolve(import.meta.dirname, '..', '..');
const rendererIndex = join(appRoot, 'out', 'renderer', 'index.html');
const rendererUrl = pathToFileURL(rendererIndex).href;

let engine: EngineProcess | null = null;
let stopEvents: (() => void) | null = null;

function hardenSession(): void {
  const csp = contentSecurityPolicy();
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  session.defaultSession.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(join(appRoot, 'out', 'preload', 'index.cjs')));
  const contents = window.webContents;
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, rendererUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url, rendererUrl)) event.preventDefault();
  });
  // New windows are never opened; plain https links go to the user's browser instead.
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  void window.loadFile(rendererIndex);
  return window;
}

function wireIpc(): void {
  ipcMain.handle(INVOKE_CHANNEL, async (event, method: unknown, request: unknown): Promise<InvokeResult> => {
    if (event.senderFrame?.url && !isAllowedNavigation(event.senderFrame.url, rendererUrl)) {
      return failure('forbidden', 'Calls are accepted only from the VisionBench window');
    }
    const check = checkInvoke(method, request);
    if (!check.ok) return check;
    if (!engine) return failure('engine_unavailable', 'The engine is not running');
    return invokeEngine(engine.endpoint, check.method, check.request);
  });
}

async function main(): Promise<void> {
  await app.whenReady();
  hardenSession();
  wireIpc();
  engine = await startEngine({
    node: process.env.VISIONBENCH_NODE ?? 'node',
    cli: join(appRoot, 'bin', 'visionbench.mjs'),
    cwd: appRoot,
    store: process.env.VISIONBENCH_STORE,
  });
  engine.child.on('exit', (code) => console.error(`[visionbench] engine exited with code ${code}`));
  createWindow();
  stopEvents = followEngineEvents(engine.endpoint, (event) => {
    for (const window of BrowserWindow.getAllWindows()) window.webContents.send(EVENT_CHANNEL, event);
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('will-quit', () => {
  stopEvents?.();
  engine?.stop();
});

main().catch((error: unknown) => {
  console.error(`[visionbench] ${(error as Error).message}`);
  app.exit(2);
});
