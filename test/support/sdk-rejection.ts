import { expect } from 'vitest';
import { HookdApiError } from '../../src/sdk/hookd-api-error.ts';

/** The HookdApiError a client call rejects with; fails the test when it resolves instead. */
export async function rejection(promise: Promise<unknown>): Promise<HookdApiError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HookdApiError);
  return error as HookdApiError;
}
