/**
 * What crosses IPC for one call. Errors thrown by an `ipcMain.handle` handler reach the page
 * as a mangled string, so the main process returns errors as values with their code instead.
 */
export type InvokeResult = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };

export function failure(code: string, message: string): InvokeResult {
  return { ok: false, error: { code, message } };
}
