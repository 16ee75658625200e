import { API, isApiMethod, type ApiMethod } from '../main/core/contract/api';

/** The outcome of checking one call from the window: the parsed request, or an error value. */
export type InvokeCheck =
  | { ok: true; method: ApiMethod; request: unknown }
  | { ok: false; error: { code: 'unknown_method' | 'invalid_request'; message: string } };

/**
 * Checks a call against the contract before it leaves the process that received it: the
 * method must be in the API table and the request must parse with its schema. Used by the
 * preload (before IPC) and by the main process (before HTTP), since neither trusts the other side.
 */
export function checkInvoke(method: unknown, request: unknown): InvokeCheck {
  if (typeof method !== 'string' || !isApiMethod(method)) {
    return { ok: false, error: { code: 'unknown_method', message: `Unknown API method ${JSON.stringify(method)}` } };
  }
  const parsed = API[method].request.safeParse(request ?? {});
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ');
    return { ok: false, error: { code: 'invalid_request', message: `Invalid request for ${method}: ${detail}` } };
  }
  return { ok: true, method, request: parsed.data };
}
