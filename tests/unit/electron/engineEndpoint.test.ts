import { describe, expect, it } from 'vitest';
import { engineOrigin, parseServeLine } from '../../../electron/engineEndpoint';

describe('parseServeLine', () => {
  it('reads the announcement of `serve --json`, ignoring extra fields', () => {
    const line = JSON.stringify({ url: 'http://127.0.0.1:4000/#token=abc', port: 4000, token: 'abc', store: '/tmp/s.sqlite' });
    expect(parseServeLine(line)).toEqual({ url: 'http://127.0.0.1:4000/#token=abc', port: 4000, token: 'abc' });
  });

  it.each([
    ['Building the workbench UI (first start only)...'],
    ['{not json'],
    ['{"url":"x","port":"4000","token":"abc"}'],
    ['{"url":"x","port":4000,"token":""}'],
    ['{"url":"x","port":4000.5,"token":"t"}'],
    [''],
  ])('ignores %j', (line) => {
    expect(parseServeLine(line)).toBeNull();
  });

  it('addresses the engine by loopback IP and port', () => {
    expect(engineOrigin({ url: 'http://localhost:1/', port: 1234, token: 't' })).toBe('http://127.0.0.1:1234');
  });
});
