import { expect, it } from 'vitest';
import { notificationListPath, pageCount, replayBody, statusTone } from './notification-query.ts';

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

it('colours sent ok, failed warn, dead bad and the rest neutral', () => {
  expect(['sent', 'failed', 'dead', 'pending', 'sending'].map(statusTone)).toEqual(['ok', 'notice', 'fail', 'tool', 'tool']);
});

it('counts a page, saying when there are more', () => {
  expect(pageCount(null)).toBeNull();
  expect(pageCount({ items: [], next_cursor: null })).toEqual({ n: 0, text: '0' });
  const items = Array.from({ length: 100 }, () => ({}) as never);
  expect(pageCount({ items, next_cursor: 'x' })).toEqual({ n: 100, text: '100+' });
});
