import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../electron/csp';

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name, sources]));
}

describe('contentSecurityPolicy', () => {
  const csp = contentSecurityPolicy();
  const parsed = directives(csp);

  it("defaults to 'self'", () => {
    expect(parsed.get('default-src')).toEqual(["'self'"]);
  });

  it('never allows eval or inline scripts', () => {
    expect(csp).not.toContain('unsafe-eval');
    expect(parsed.get('script-src')).toEqual(["'self'"]);
  });

  it('allows connections only to our own origin', () => {
    expect(parsed.get('connect-src')).toEqual(["'self'"]);
  });

  it.each(['object-src', 'base-uri', 'frame-src', 'form-action'])("sets %s to 'none'", (name) => {
    expect(parsed.get(name)).toEqual(["'none'"]);
  });

  it('is the one source of the page CSP: index.html holds only a placeholder the build fills', async () => {
    const { readFile } = await import('node:fs/promises');
    const html = await readFile(new URL('../../../renderer/index.html', import.meta.url), 'utf8');
    expect(html).toContain('content="%VISIONBENCH_CSP%"');
  });
});
