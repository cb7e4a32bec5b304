import { expect, it } from 'vitest';
import { sessionListPath } from './session-list-query.ts';

const none = { agent: '', project: '', branch: '', model: '', status: '', range: '', failures: '' };

it('asks for the set filters only, with the range as a start time relative to now', () => {
  expect(sessionListPath(none, null)).toBe('/sessions?limit=50');
  const now = Date.parse('2026-12-07T12:00:00Z');
  const path = sessionListPath(
    { ...none, agent: 'codex', project: 'a b', branch: 'main', status: 'open', range: '24h', failures: 'yes' },
    'c1',
    now,
  );
  const url = new URL(path, 'http://x');
  expect(Object.fromEntries(url.searchParams)).toEqual({
    status: 'open',
    source: 'codex',
    project: 'a b',
    git_branch: 'main',
    from: '2026-12-06T12:00:00.000Z',
    has_failures: 'true',
    limit: '50',
    cursor: 'c1',
  });
  expect(new URL(sessionListPath({ ...none, range: 'forever' }, null), 'http://x').searchParams.has('from')).toBe(false);
});
