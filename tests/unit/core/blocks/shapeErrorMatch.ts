import { expect } from 'vitest';
import { ShapeError } from '../../../../main/core/errors';

/** Runs `fn`, expecting a ShapeError with this code whose message matches `message`. */
export function expectShapeError(fn: () => unknown, code: string, message: RegExp | string): ShapeError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ShapeError);
  const err = caught as ShapeError;
  expect(err.code).toBe(code);
  if (typeof message === 'string') expect(err.message).toContain(message);
  else expect(err.message).toMatch(message);
  return err;
}
