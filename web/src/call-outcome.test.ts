import { expect, it } from 'vitest';
import { callOutcome, isDenied } from './call-outcome.ts';

it('marks a call the auto mode denied apart from one that ran and failed', () => {
  const denied = { status: 'failed' as const, error: 'permission denied: auto mode classifier: destructive push' };
  expect(isDenied(denied)).toBe(true);
  expect(callOutcome(denied)).toEqual({ label: 'denied', tone: 'notice' });
  expect(callOutcome({ status: 'failed', error: 'exit code 1' })).toEqual({ label: 'failed', tone: 'fail' });
  expect(callOutcome({ status: 'failed', error: null })).toEqual({ label: 'failed', tone: 'fail' });
  expect(callOutcome({ status: 'succeeded', error: 'permission denied: stale' })).toEqual({ label: 'succeeded', tone: 'ok' });
  expect(callOutcome({ status: 'running', error: null })).toEqual({ label: 'running', tone: 'tool' });
});
