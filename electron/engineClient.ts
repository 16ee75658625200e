import { API, ApiErrorSchema, EVENTS_PATH, EngineEventSchema, apiPath, type ApiMethod, type EngineEvent } from '../main/core/contract/api';
import { engineOrigin, type EngineEndpoint } from './engineEndpoint';
import { failure, type InvokeResult } from './ipcEnvelope';

/** Relays one already-validated call to the engine over HTTP and validates its answer. */
export async function invokeEngine(endpoint: EngineEndpoint, method: ApiMethod, request: unknown, fetchImpl: typeof fetch = fetch): Promise<InvokeResult> {
  let response: Response;
  try {
    response = await fetchImpl(`${engineOrigin(endpoint)}${apiPath(method)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${endpoint.token}` },
      body: JSON.stringify(request),
    });
  } catch (e) {
    return failure('engine_unreachable', `The engine is not reachable: ${(e as Error).message}`);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const parsed = ApiErrorSchema.safeParse(body);
    return parsed.success ? { ok: false, error: parsed.data.error } : failure('http_error', `${method} failed with HTTP ${response.status}`);
  }
  const parsed = API[method].response.safeParse(body);
  if (!parsed.success) return failure('invalid_response', `The engine's answer to ${method} does not match the contract: ${parsed.error.issues[0]?.message}`);
  return { ok: true, value: parsed.data };
}

/**
 * Follows the engine's event stream and hands every valid event to `onEvent`; reconnects
 * with a growing delay when the connection drops. Returns a function that stops it.
 */
export function followEngineEvents(endpoint: EngineEndpoint, onEvent: (event: EngineEvent) => void): () => void {
  let socket: WebSocket | null = null;
  let stopped = false;
  let delay = 500;
  const url = `${engineOrigin(endpoint).replace(/^http/, 'ws')}${EVENTS_PATH}`;
  const connect = (): void => {
    socket = new WebSocket(url, ['visionbench', `bearer.${endpoint.token}`]);
    socket.onopen = () => (delay = 500);
    socket.onmessage = (message) => {
      const parsed = EngineEventSchema.safeParse(safeJson(String(message.data)));
      if (parsed.success) onEvent(parsed.data);
    };
    socket.onclose = () => {
      if (stopped) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 10_000);
    };
  };
  connect();
  return () => {
    stopped = true;
    socket?.close();
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
