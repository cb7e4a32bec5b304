import { expect, it } from 'vitest';
import {
  digestMembersPath,
  moving,
  NOTIFICATION_STATUSES,
  notificationListPath,
  pageCount,
  replayBody,
  retryable,
  statusTone,
} from './notification-query.ts';

const none = { status: '', channel: '', session: '' };

it('asks for the set filters only, the session as session_id, the limit within the route range', () => {
  expect(notificationListPath(none, null)).toBe('/notifications?limit=50');
  const url = new URL(notificationListPath({ status: 'dead', channel: 'ops', session: 's 1' }, 'c1'), 'http://x');
  expect(Object.fromEntries(url.searchParams)).toEqual({ status: 'dead', channel: 'ops', session_id: 's 1', limit: '50', cursor: 'c1' });
  expect(notificationListPath(none, null, 2000)).toBe('/notifications?limit=500');
});

it('replays the channel and session filtered on, never the status', () => {
  expect(replayBody(none)).toEqual({});
  expect(replayBody({ status: 'sent', channel: 'ops', session: 's1' })).toEqual({ channel: 'ops', session_id: 's1' });
});

it('colours sent ok, failed warn, dead bad, held and digested as information, and the rest neutral', () => {
  expect(['sent', 'failed', 'dead', 'held', 'digested', 'new', 'pending', 'sending', 'stale'].map(statusTone)).toEqual([
    'ok',
    'notice',
    'fail',
    'prompt',
    'prompt',
    'tool',
    'tool',
    'tool',
    'tool',
  ]);
});

it('asks again soon while something moves on by itself, and retries what is not in a digest', () => {
  expect(NOTIFICATION_STATUSES.filter(moving)).toEqual(['new', 'pending', 'digested', 'sending']);
  expect(retryable({ status: 'dead', digest_id: null })).toBe(true);
  expect(retryable({ status: 'dead', digest_id: 'ntf_d' })).toBe(false);
  expect(retryable({ status: 'held', digest_id: null })).toBe(false);
});

it("lists a digest's members, as many as it carries within the route's limit", () => {
  expect(digestMembersPath('ntf_d', 3)).toBe('/notifications?digest_id=ntf_d&limit=3');
  expect(digestMembersPath('ntf_d', 1000)).toBe('/notifications?digest_id=ntf_d&limit=500');
});

it('counts a page, saying when there are more', () => {
  expect(pageCount(null)).toBeNull();
  expect(pageCount({ items: [], next_cursor: null })).toEqual({ n: 0, text: '0' });
  const items = Array.from({ length: 100 }, () => ({}) as never);
  expect(pageCount({ items, next_cursor: 'x' })).toEqual({ n: 100, text: '100+' });
});
