import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A fresh 256-bit token per server start, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The subprotocol prefix a browser WebSocket uses to carry the token (it cannot set headers). */
export const TOKEN_SUBPROTOCOL_PREFIX = 'bearer.';
export const EVENTS_SUBPROTOCOL = 'visionbench';

function sameSecret(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** True when the request carries `Authorization: Bearer TOKEN` (or, for WebSockets, the token subprotocol). */
export function isAuthorized(req: IncomingMessage, token: string, allowSubprotocol = false): boolean {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ') && sameSecret(header.slice('Bearer '.length), token)) return true;
  if (!allowSubprotocol) return false;
  const protocols = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  return protocols.some((p) => p.startsWith(TOKEN_SUBPROTOCOL_PREFIX) && sameSecret(p.slice(TOKEN_SUBPROTOCOL_PREFIX.length), token));
}

/**
 * Rejects requests whose Host is not this loopback server (DNS-rebinding defence): a page on
 * another origin that resolves its name to 127.0.0.1 still sends its own Host header.
 */
export function isLoopbackHost(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host ?? '';
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(host);
}
