import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script without type declarations
import { electronBinary } from '../../../electron/start.mjs';

describe('electronBinary', () => {
  const saved = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  afterEach(() => {
    if (saved === undefined) delete process.env.ELECTRON_OVERRIDE_DIST_PATH;
    else process.env.ELECTRON_OVERRIDE_DIST_PATH = saved;
  });

  it('answers a path or null without trying to download anything', () => {
    delete process.env.ELECTRON_OVERRIDE_DIST_PATH;
    const binary = electronBinary();
    expect(binary === null || typeof binary === 'string').toBe(true);
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH', () => {
    process.env.ELECTRON_OVERRIDE_DIST_PATH = '/opt/electron';
    expect(electronBinary()).toMatch(/^\/opt\/electron\//);
  });
});
