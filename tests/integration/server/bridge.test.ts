import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ApiHandlers } from '../../../main/core';
import { startBridge, type Bridge } from '../../../main/server/bridge';
import { createHandlers } from '../../../main/server/handlers';
import { openStore, type ExperimentStore } from '../../../main/store/openStore';
import { loadTemplate } from '../../../main/templates/templateLibrary';

const TOKEN = 'test-token-0123456789';
let dir: string;
let store: ExperimentStore;
let bridge: Bridge;
let runId: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-bridge-'));
  const staticDir = path.join(dir, 'static');
  fs.mkdirSync(staticDir);
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>VisionBench</title>');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'do not serve');
  store = openStore(path.join(dir, 'store.sqlite'));
  runId = store.createRun({ name: 'tiny_resnet', graph: loadTemplate('tiny_resnet'), hyperParams: { epochs: 1 }, backend: 'wasm', seed: 1 });
  store.appendMetrics(runId, [
    { step: 0, epoch: 0, name: 'train/loss', value: 2.3 },
    { step: 1, epoch: 0, name: 'train/loss', value: 2.1 },
  ]);
  store.finishRun(runId, { status: 'finished', epochs: 1, imagesPerSecond: 12 });
  const handlers: ApiHandlers = createHandlers({ store, backendInfo: async () => ({ name: 'cpu', threads: 1, label: 'cpu' }) });
  bridge = await startBridge({ port: 0, token: TOKEN, handlers, staticDir });
});

afterAll(async () => {
  await bridge.close();
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const call = (method: string, body: unknown = {}, headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}` }) =>
  fetch(`${bridge.url}api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('the bridge', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it.each([
    ['no token', {}],
    ['a wrong token', { Authorization: 'Bearer nope' }],
    ['the token without Bearer', { Authorization: TOKEN }],
  ])('answers 401 to /api/* with %s, before routing (even unknown methods)', async (_name, headers) => {
    for (const method of ['health', 'listRuns', 'noSuchMethod']) {
      const res = await call(method, {}, headers as Record<string, string>);
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('unauthorized');
    }
  });

  it('answers health with the token', async () => {
    const res = await call('health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('serves the page publicly and never a file outside its folder', async () => {
    expect((await fetch(bridge.url)).status).toBe(200);
    expect(await (await fetch(bridge.url)).text()).toContain('VisionBench');
    for (const p of ['../secret.txt', '%2e%2e/secret.txt', '..%2fsecret.txt']) {
      const res = await fetch(`${bridge.url}${p}`);
      expect(res.status, p).toBe(404);
    }
  });

  it('validates requests and names what is wrong', async () => {
    const res = await call('getRun', { runId: 42 });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/runId/);
    expect((await call('getRun', { runId: 'nope' })).status).toBe(404);
    expect((await call('noSuchMethod')).status).toBe(404);
  });

  it('lists runs and returns a run with its curve', async () => {
    const runs = await (await call('listRuns')).json();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ id: runId, status: 'finished', backend: 'wasm' });
    const series = await (await call('getMetrics', { runId, names: ['train/loss'] })).json();
    expect(series).toEqual([{ name: 'train/loss', points: [{ step: 0, epoch: 0, value: 2.3 }, { step: 1, epoch: 0, value: 2.1 }] }]);
  });

  it('checks graphs sent by the UI', async () => {
    const report = await (await call('checkGraph', { graph: loadTemplate('resnet18') })).json();
    expect(report.ok).toBe(true);
    expect(report.totals.params).toBe(11_689_512);
    const broken = await (await call('checkGraph', { graph: { version: 7 } })).json();
    expect(broken.errors[0].code).toBe('unsupported_version');
  });

  it('refuses a WebSocket without the token and accepts one with it', async () => {
    const url = `${bridge.url.replace('http', 'ws')}api/events`;
    const refused = await new Promise<string>((resolve) => {
      const ws = new WebSocket(url, ['visionbench']);
      ws.on('open', () => resolve('open'));
      ws.on('error', (e) => resolve(e.message));
    });
    expect(refused).toMatch(/401/);
    const event = await new Promise<unknown>((resolve, reject) => {
      const ws = new WebSocket(url, ['visionbench', `bearer.${TOKEN}`]);
      ws.on('open', () => bridge.broadcast({ type: 'runChanged', run: store.listRuns()[0] }));
      ws.on('message', (data) => {
        ws.close();
        resolve(JSON.parse(String(data)));
      });
      ws.on('error', reject);
    });
    expect(event).toMatchObject({ type: 'runChanged', run: { id: runId } });
  });
});
