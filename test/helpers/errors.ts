/** Shared assertion helpers for error paths. */
import { expect } from 'vitest';
import { FetchError } from '../../src/errors.ts';

/** Runs `fn` and returns the FetchError it throws (fails the test if it resolves or throws something else). */
export async function fetchError(fn: () => unknown): Promise<FetchError> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(FetchError);
    return err as FetchError;
  }
  throw new Error('expected a FetchError, but the call succeeded');
}
