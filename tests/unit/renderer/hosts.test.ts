import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../main/core';
import { ElectronHost, type PreloadBridge } from '../../../renderer/src/host/ElectronHost';
import { HostError } from '../../../renderer/src/host/Host';
import { WebHost, tokenFromHash } from '../../../renderer/src/host/WebHost';
import { memoryHost } from './fixtures';

describe('MemoryHost', () => {
  it('answers the contract from fixtures', async () => {
    const host = memoryHost();
    const templates = await host.invoke('listTemplates', {});
    expect(templates.map((t) => t.name)).toEqual(['tiny_resnet', 'resnet18']);
    expect(templates[1].params).toBe(11_689_512);
    expect(templates[0].input).toEqual([3, 128, 128]);
    const { graph } = await host.invoke('getTemplate', { name: 'tiny_resnet' });
    expect(graph.nodes).toHaveLength(34);
    const runs = await host.invoke('listRuns', {});
    expect(runs[0]).not.toHaveProperty('graph');
    const metrics = await host.invoke('getMetrics', { runId: runs[0].id, names: ['val/loss'] });
    expect(metrics.map((m) => m.name)).toEqual(['val/loss']);
  });

  it('rejects what the contract rejects', async () => {
    const host = memoryHost();
    await expect(host.invoke('getTemplate', { name: '' })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(host.invoke('nope' as 'health', {})).rejects.toMatchObject({ code: 'unknown_method' });
    await expect(host.invoke('getRun', { runId: 'missing' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('checks graphs sent to checkGraph', async () => {
    const report = await memoryHost().invoke('checkGraph', { graph: { version: 99 } });
    expect(report.ok).toBe(false);
    expect(report.errors[0].code).toBe('unsupported_version');
  });

  it('delivers emitted events until unsubscribed', async () => {
    const host = memoryHost();
    const seen: EngineEvent[] = [];
    const stop = host.onEvent((e) => seen.push(e));
    const [run] = await host.invoke('listRuns', {});
    host.emit({ type: 'runChanged', run: { ...run, status: 'failed' } });
    expect((await host.invoke('listRuns', {}))[0].status).toBe('failed');
    stop();
    host.emit({ type: 'runChanged', run });
    expect(seen).toHaveLength(1);
  });
});

type Call = { url: string; init: RequestInit };
function fakeFetch(respond: (call: Call) => [number, unknown], calls: Call[] = []): typeof fetch {
  return (async (url: string, init: RequestInit) => {
    const call = { url, init };
    calls.push(call);
    const [status, body] = respond(call);
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  }) as unknown as typeof fetch;
}

describe('WebHost', () => {
  it('reads the token from the URL fragment', () => {
    expect(tokenFromHash('#token=abc-123')).toBe('abc-123');
    expect(tokenFromHash('#other=1&token=t')).toBe('t');
    expect(tokenFromHash('')).toBeNull();
    expect(tokenFromHash('#token=')).toBeNull();
  });

  it('posts JSON with the bearer token to /api/<method>', async () => {
    const calls: Call[] = [];
    const host = new WebHost({ origin: 'http://127.0.0.1:7000', token: 'tok', fetch: fakeFetch(() => [200, { ok: true }], calls) });
    await expect(host.invoke('health', {})).resolves.toEqual({ ok: true });
    expect(calls[0].url).toBe('http://127.0.0.1:7000/api/health');
    expect(calls[0].init.method).toBe('POST');
    expect((calls[0].init.headers as Record<string, string>).authorization).toBe('Bearer tok');
    expect(JSON.parse(calls[0].init.body as string)).toEqual({});
  });

  it('turns error bodies into HostErrors with the engine code', async () => {
    const host = new WebHost({ origin: 'http://x', token: 't', fetch: fakeFetch(() => [401, { error: { code: 'unauthorized', message: 'Missing or wrong token' } }]) });
    const error = await host.invoke('listRuns', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostError);
    expect(error).toMatchObject({ code: 'unauthorized', message: 'Missing or wrong token' });
  });

  it('copes with a non-JSON error page', async () => {
    const host = new WebHost({ origin: 'http://x', token: 't', fetch: fakeFetch(() => [502, '<html>bad gateway</html>']) });
    await expect(host.invoke('health', {})).rejects.toMatchObject({ code: 'http_error', message: expect.stringContaining('502') });
  });

  it('rejects responses that break the contract', async () => {
    const host = new WebHost({ origin: 'http://x', token: 't', fetch: fakeFetch(() => [200, [{ name: 'tiny' }]]) });
    await expect(host.invoke('listTemplates', {})).rejects.toMatchObject({ code: 'invalid_response' });
  });

  it('never sends a request the contract rejects', async () => {
    const calls: Call[] = [];
    const host = new WebHost({ origin: 'http://x', token: 't', fetch: fakeFetch(() => [200, {}], calls) });
    await expect(host.invoke('getRun', { runId: '' })).rejects.toMatchObject({ code: 'invalid_request' });
    expect(calls).toHaveLength(0);
  });

  it('opens the event socket with the token as a subprotocol and forwards valid events', async () => {
    const sockets: { url: string; protocols: string[]; socket: Partial<WebSocket> }[] = [];
    const host = new WebHost({
      origin: 'http://127.0.0.1:7000',
      token: 'tok',
      fetch: fakeFetch(() => [200, {}]),
      createSocket: (url, protocols) => {
        const socket: Partial<WebSocket> = { close: () => {} };
        sockets.push({ url, protocols, socket });
        return socket as WebSocket;
      },
    });
    const seen: EngineEvent[] = [];
    const stop = host.onEvent((e) => seen.push(e));
    expect(sockets[0].url).toBe('ws://127.0.0.1:7000/api/events');
    expect(sockets[0].protocols).toEqual(['visionbench', 'bearer.tok']);
    const [run] = await memoryHost().invoke('listRuns', {});
    const deliver = (data: string) => (sockets[0].socket as WebSocket).onmessage!.call(sockets[0].socket as WebSocket, { data } as MessageEvent);
    deliver(JSON.stringify({ type: 'runChanged', run }));
    deliver(JSON.stringify({ type: 'somethingElse' }));
    deliver('not json');
    expect(seen).toEqual([{ type: 'runChanged', run }]);
    stop();
  });
});

describe('ElectronHost', () => {
  const bridge = (answer: unknown): PreloadBridge & { calls: unknown[][] } => {
    const calls: unknown[][] = [];
    return { calls, invoke: async (...args) => (calls.push(args), answer), onEvent: () => () => {} };
  };

  it('unwraps the main process result value', async () => {
    const b = bridge({ ok: true, value: { ok: true } });
    await expect(new ElectronHost(b).invoke('health', {})).resolves.toEqual({ ok: true });
    expect(b.calls).toEqual([['health', {}]]);
  });

  it('throws the error value with its code', async () => {
    const host = new ElectronHost(bridge({ ok: false, error: { code: 'engine_unreachable', message: 'down' } }));
    await expect(host.invoke('health', {})).rejects.toMatchObject({ code: 'engine_unreachable', message: 'down' });
  });

  it('rejects malformed results', async () => {
    await expect(new ElectronHost(bridge('nonsense')).invoke('health', {})).rejects.toMatchObject({ code: 'invalid_response' });
  });
});
