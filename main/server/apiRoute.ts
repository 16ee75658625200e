import type { IncomingMessage, ServerResponse } from 'node:http';
import { API, isApiMethod, type ApiHandlers } from '../core';

/** An error a handler throws on purpose: becomes an HTTP status and a coded message. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
}

export function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiFailure(413, 'too_large', `Request body is over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `POST /api/<method>`: validates the request, runs the handler, validates the response. */
export async function handleApiCall(handlers: ApiHandlers, method: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    if (!isApiMethod(method)) throw new ApiFailure(404, 'unknown_method', `No API method "${method}"`);
    if (req.method !== 'POST') throw new ApiFailure(405, 'method_not_allowed', `Use POST for /api/${method}`);
    const text = await readBody(req);
    let body: unknown;
    try {
      body = text.length === 0 ? {} : JSON.parse(text);
    } catch {
      throw new ApiFailure(400, 'malformed_json', 'Request body is not valid JSON');
    }
    const spec = API[method];
    const request = spec.request.safeParse(body);
    if (!request.success) {
      throw new ApiFailure(400, 'invalid_request', request.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    }
    const handler = handlers[method] as (r: unknown) => Promise<unknown>;
    const response = spec.response.parse(await handler(request.data));
    sendJson(res, 200, response);
  } catch (error) {
    if (error instanceof ApiFailure) sendError(res, error.status, error.code, error.message);
    else sendError(res, 500, 'internal', error instanceof Error ? error.message : String(error));
  }
}
