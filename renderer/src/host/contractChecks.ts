import { API, ApiErrorSchema, EngineEventSchema, isApiMethod, type ApiMethod, type ApiResponse, type EngineEvent } from '../../../main/core/contract/api';
import { HostError } from './Host';

/** Rejects calls the contract does not know before they leave the page. */
export function checkRequest<M extends ApiMethod>(method: M, request: unknown): unknown {
  if (!isApiMethod(method)) throw new HostError('unknown_method', `Unknown API method ${JSON.stringify(method)}`);
  const parsed = API[method].request.safeParse(request ?? {});
  if (!parsed.success) throw new HostError('invalid_request', `Invalid request for ${method}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** The engine's answer, typed only once it has been checked against the contract. */
export function checkResponse<M extends ApiMethod>(method: M, body: unknown): ApiResponse<M> {
  const parsed = API[method].response.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HostError('invalid_response', `The engine's answer to ${method} does not match the contract (${issue?.path.join('.') || 'response'}: ${issue?.message})`);
  }
  return parsed.data as ApiResponse<M>;
}

/** Turns an error body (`{error:{code,message}}`) into a HostError, whatever it holds. */
export function errorFromBody(body: unknown, fallback: string): HostError {
  const parsed = ApiErrorSchema.safeParse(body);
  return parsed.success ? new HostError(parsed.data.error.code, parsed.data.error.message) : new HostError('http_error', fallback);
}

export function parseEvent(data: unknown): EngineEvent | null {
  let value = data;
  if (typeof data === 'string') {
    try {
      value = JSON.parse(data);
    } catch {
      return null;
    }
  }
  const parsed = EngineEventSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
