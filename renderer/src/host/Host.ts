import type { ApiMethod, ApiRequest, ApiResponse, EngineEvent } from '../../../main/core/contract/api';

/**
 * Everything the UI may ask of the engine. Components receive a Host and never know whether
 * the engine sits behind Electron's IPC, the `visionbench serve` bridge, or test memory.
 */
export interface Host {
  /** Which transport this is, for the status bar and diagnostics. */
  readonly kind: 'electron' | 'web' | 'memory';
  invoke<M extends ApiMethod>(method: M, request: ApiRequest<M>): Promise<ApiResponse<M>>;
  /** Subscribes to engine events; returns the function that unsubscribes. */
  onEvent(callback: (event: EngineEvent) => void): () => void;
}

/** A failed call: the engine's (or the transport's) stable code and a message for people. */
export class HostError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HostError';
  }
}
