// How a tool call ended, as the call list marks it. A call the auto mode denied is stored as
// a failed call whose error says so; it is told apart from a call that ran and failed,
// because the fix differs (a permission rule, not the command).
import type { ToolUse } from './api-types.ts';

export type CallTone = 'ok' | 'fail' | 'notice' | 'tool';

export const isDenied = (call: Pick<ToolUse, 'status' | 'error'>): boolean =>
  call.status === 'failed' && (call.error ?? '').toLowerCase().startsWith('permission denied');

export function callOutcome(call: Pick<ToolUse, 'status' | 'error'>): { label: string; tone: CallTone } {
  if (isDenied(call)) return { label: 'denied', tone: 'notice' };
  if (call.status === 'failed') return { label: 'failed', tone: 'fail' };
  if (call.status === 'succeeded') return { label: 'succeeded', tone: 'ok' };
  return { label: call.status, tone: 'tool' };
}
