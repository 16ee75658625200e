import { EVENTS_PATH, apiPath, type ApiMethod, type ApiRequest, type ApiResponse, type EngineEvent } from '../../../main/core/contract/api';
import { HostError, type Host } from './Host';
import { checkRequest, checkResponse, errorFromBody, parseEvent } from './contractChecks';

/** Reads the token `visionbench serve` put in the URL fragment: `#token=…`. */
export function tokenFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('token');
  return token && token.length > 0 ? token : null;
}

export interface WebHostOptions {
  /** The bridge's origin, e.g. `http://127.0.0.1:5123`. */
  origin: string;
  token: string;
  fetch?: typeof fetch;
  /** Builds the event socket; injectable for tests. */
  createSocket?: (url: string, protocols: string[]) => WebSocket;
}

/**
 * The Host of the browser UI: HTTP calls and a WebSocket to `visionbench serve`. The token
 * goes in the Authorization header, and for the socket (where a page cannot set headers) as
 * the subprotocol `bearer.<token>`.
 */
export class WebHost implements Host {
  readonly kind = 'web' as const;
  private readonly listeners = new Set<(event: EngineEvent) => void>();
  private socket: WebSocket | null = null;
  private retryDelay = 500;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: WebHostOptions) {
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async invoke<M extends ApiMethod>(method: M, request: ApiRequest<M>): Promise<ApiResponse<M>> {
    const body = checkRequest(method, request);
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.options.origin}${apiPath(method)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.options.token}` },
        body: JSON.stringify(body),
      });
    } catch (e) {
      throw new HostError('engine_unreachable', `The engine is not reachable: ${(e as Error).message}`);
    }
    const json: unknown = await response.json().catch(() => null);
    if (!response.ok) throw errorFromBody(json, `${method} failed with HTTP ${response.status}`);
    return checkResponse(method, json);
  }

  onEvent(callback: (event: EngineEvent) => void): () => void {
    this.listeners.add(callback);
    if (!this.socket) this.connect();
    return () => {
      this.listeners.delete(callback);
      if (this.listeners.size === 0) this.disconnect();
    };
  }

  private connect(): void {
    const url = `${this.options.origin.replace(/^http/, 'ws')}${EVENTS_PATH}`;
    const create = this.options.createSocket ?? ((u, p) => new WebSocket(u, p));
    const socket = create(url, ['visionbench', `bearer.${this.options.token}`]);
    this.socket = socket;
    socket.onopen = () => (this.retryDelay = 500);
    socket.onmessage = (message) => {
      const event = parseEvent(message.data);
      if (event) for (const listener of this.listeners) listener(event);
    };
    socket.onclose = () => {
      if (this.socket !== socket || this.listeners.size === 0) return;
      this.socket = null;
      // The engine may be restarting; come back with a growing delay.
      setTimeout(() => this.listeners.size > 0 && !this.socket && this.connect(), this.retryDelay);
      this.retryDelay = Math.min(this.retryDelay * 2, 10_000);
    };
  }

  private disconnect(): void {
    const socket = this.socket;
    this.socket = null;
    socket?.close();
  }
}
