import { z } from 'zod';
import type { ApiMethod, ApiRequest, ApiResponse, EngineEvent } from '../../../main/core/contract/api';
import { HostError, type Host } from './Host';
import { checkRequest, checkResponse } from './contractChecks';

/** What the preload exposes as `window.visionbench` (see electron/preload.ts). */
export interface PreloadBridge {
  invoke(method: string, request: unknown): Promise<unknown>;
  onEvent(callback: (event: EngineEvent) => void): () => void;
}

declare global {
  interface Window {
    visionbench?: PreloadBridge;
  }
}

/** The main process answers every call with a value or an error value, never a throw. */
const InvokeResultSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);

/** The Host inside the desktop app: calls go through the preload to the main process. */
export class ElectronHost implements Host {
  readonly kind = 'electron' as const;

  constructor(private readonly bridge: PreloadBridge) {}

  async invoke<M extends ApiMethod>(method: M, request: ApiRequest<M>): Promise<ApiResponse<M>> {
    const body = checkRequest(method, request);
    const result = InvokeResultSchema.safeParse(await this.bridge.invoke(method, body));
    if (!result.success) throw new HostError('invalid_response', `The desktop shell's answer to ${method} is malformed`);
    if (!result.data.ok) throw new HostError(result.data.error.code, result.data.error.message);
    return checkResponse(method, result.data.value);
  }

  onEvent(callback: (event: EngineEvent) => void): () => void {
    return this.bridge.onEvent(callback);
  }
}
