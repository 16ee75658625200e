import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { EVENTS_PATH, type ApiHandlers, type EngineEvent } from '../core';
import { handleApiCall, sendError } from './apiRoute';
import { EVENTS_SUBPROTOCOL, isAuthorized, isLoopbackHost } from './auth';
import { serveStatic } from './staticFiles';

export interface BridgeOptions {
  port: number;
  token: string;
  handlers: ApiHandlers;
  /** Folder of the built renderer (index.html and assets). */
  staticDir: string;
}

export interface Bridge {
  url: string;
  port: number;
  broadcast(event: EngineEvent): void;
  close(): Promise<void>;
}

/** Only loopback: the bridge is never reachable from another machine. */
export const BRIDGE_HOST = '127.0.0.1';

/**
 * The HTTP + WebSocket bridge of `visionbench serve`. The page and its assets are public;
 * every `/api/*` request and the event socket need the token, checked before any routing.
 */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has(EVENTS_SUBPROTOCOL) ? EVENTS_SUBPROTOCOL : false),
  });
  let port = options.port;

  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname === '/api' || pathname.startsWith('/api/')) {
      if (!isAuthorized(req, options.token)) return sendError(res, 401, 'unauthorized', 'Missing or wrong token');
      if (!isLoopbackHost(req, port)) return sendError(res, 403, 'forbidden_host', 'Requests must address 127.0.0.1 or localhost');
      void handleApiCall(options.handlers, pathname.slice('/api/'.length), req, res);
      return;
    }
    serveStatic(options.staticDir, req, res);
  });

  server.on('upgrade', (req, socket, head) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname !== EVENTS_PATH || !isAuthorized(req, options.token, true) || !isLoopbackHost(req, port)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, BRIDGE_HOST, resolve);
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${BRIDGE_HOST}:${port}/`,
    port,
    broadcast: (event) => {
      const text = JSON.stringify(event);
      for (const ws of sockets) ws.send(text);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of sockets) ws.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
