import { describe, expect, it } from 'vitest';
import { isAllowedNavigation, mainWindowOptions } from '../../../electron/windowOptions';

describe('mainWindowOptions', () => {
  const prefs = mainWindowOptions('/app/out/preload/index.cjs').webPreferences!;

  it.each([
    ['contextIsolation', true],
    ['sandbox', true],
    ['nodeIntegration', false],
    ['nodeIntegrationInWorker', false],
    ['nodeIntegrationInSubFrames', false],
    ['webSecurity', true],
    ['allowRunningInsecureContent', false],
    ['webviewTag', false],
    ['experimentalFeatures', false],
  ] as const)('sets %s to %s', (key, value) => {
    expect(prefs[key]).toBe(value);
  });

  it('loads the given preload', () => {
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
  });

  it('opens at the size the UI is designed for', () => {
    const options = mainWindowOptions('p');
    expect([options.width, options.height]).toEqual([1440, 900]);
  });
});

describe('isAllowedNavigation', () => {
  const app = 'file:///app/out/renderer/index.html';
  it.each([
    ['file:///app/out/renderer/index.html', app, true],
    ['file:///app/out/renderer/index.html#x', app, true],
    ['file:///etc/passwd', app, false],
    ['https://example.com/', app, false],
    ['http://127.0.0.1:5000/', 'http://127.0.0.1:5000/#token=x', true],
    ['http://127.0.0.1:5001/', 'http://127.0.0.1:5000/', false],
    ['javascript:alert(1)', app, false],
    ['not a url', app, false],
  ])('%s from %s → %s', (target, from, allowed) => {
    expect(isAllowedNavigation(target, from)).toBe(allowed);
  });
});
