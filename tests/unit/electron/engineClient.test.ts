import { describe, expect, it } from 'vitest';
import { invokeEngine } from '../../../electron/engineClient';

const endpoint = { url: 'http://127.0.0.1:4000/#token=secret', port: 4000, token: 'secret' };

function fakeFetch(status: number, body: unknown, seen: { url?: string; init?: RequestInit } = {}): typeof fetch {
  return (async (url: string, init: RequestInit) => {
    seen.url = url;
    seen.init = init;
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof fetch;
}

describe('invokeEngine', () => {
  it('posts the request with the bearer token and returns the checked answer', async () => {
    const seen: { url?: string; init?: RequestInit } = {};
    const result = await invokeEngine(endpoint, 'backendInfo', {}, fakeFetch(200, { name: 'wasm', threads: 2, label: 'wasm ×2 threads' }, seen));
    expect(result).toEqual({ ok: true, value: { name: 'wasm', threads: 2, label: 'wasm ×2 threads' } });
    expect(seen.url).toBe('http://127.0.0.1:4000/api/backendInfo');
    expect((seen.init?.headers as Record<string, string>).authorization).toBe('Bearer secret');
  });

  it('passes the engine error value through', async () => {
    const result = await invokeEngine(endpoint, 'getRun', { runId: 'x' }, fakeFetch(404, { error: { code: 'not_found', message: 'No run "x"' } }));
    expect(result).toEqual({ ok: false, error: { code: 'not_found', message: 'No run "x"' } });
  });

  it('rejects an answer that breaks the contract', async () => {
    const result = await invokeEngine(endpoint, 'backendInfo', {}, fakeFetch(200, { name: 'wasm' }));
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_response' } });
  });

  it('reports an unreachable engine as a value', async () => {
    const failing = (async () => {
      throw new Error('ECONNREFUSED');
    }) as unknown as typeof fetch;
    expect(await invokeEngine(endpoint, 'health', {}, failing)).toMatchObject({ ok: false, error: { code: 'engine_unreachable' } });
  });
});
