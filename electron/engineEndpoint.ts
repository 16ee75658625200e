/** Where the engine that `visionbench serve --json` started listens, and its token. */
export interface EngineEndpoint {
  url: string;
  port: number;
  token: string;
}

/**
 * Reads the engine's announcement line: `{"url":…,"port":…,"token":…}`. Other lines (logs,
 * progress) return null, so the caller can keep reading until the announcement comes.
 */
export function parseServeLine(line: string): EngineEndpoint | null {
  const text = line.trim();
  if (!text.startsWith('{')) return null;
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    if (typeof value.url !== 'string' || typeof value.port !== 'number' || typeof value.token !== 'string') return null;
    if (value.token.length === 0 || !Number.isInteger(value.port)) return null;
    return { url: value.url, port: value.port, token: value.token };
  } catch {
    return null;
  }
}

/** The bridge's origin (no fragment, no path): `http://127.0.0.1:PORT`. */
export function engineOrigin(endpoint: EngineEndpoint): string {
  return `http://127.0.0.1:${endpoint.port}`;
}
