import { describe, expect, it } from 'vitest';
import { checkInvoke } from '../../../electron/ipcValidation';

describe('checkInvoke', () => {
  it.each([
    ['health', {}],
    ['listRuns', {}],
    ['getTemplate', { name: 'tiny_resnet' }],
    ['getMetrics', { runId: 'r1', names: ['train/loss'] }],
    ['backendInfo', undefined],
  ])('accepts %s with %j', (method, request) => {
    expect(checkInvoke(method, request)).toMatchObject({ ok: true, method });
  });

  it.each([['deleteEverything'], ['__proto__'], ['constructor'], ['toString'], [42], [null], ['']])('rejects unknown method %j', (method) => {
    const result = checkInvoke(method, {});
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
  });

  it.each([
    ['getTemplate', {}, 'name'],
    ['getTemplate', { name: '' }, 'name'],
    ['getTemplate', { name: 7 }, 'name'],
    ['getRun', { runId: 'r', extra: true }, 'extra'],
    ['getMetrics', { runId: 'r', names: 'train/loss' }, 'names'],
    ['health', { sneaky: 1 }, 'sneaky'],
    ['listRuns', 'not an object', 'request'],
  ])('rejects %s with %j, naming %s', (method, request, mentioned) => {
    const result = checkInvoke(method, request);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid_request');
      expect(result.error.message).toContain(mentioned);
    }
  });
});
