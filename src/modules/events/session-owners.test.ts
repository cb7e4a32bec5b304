import { describe, expect, it } from 'vitest';
import type { NormalizedEvent } from './event.ts';
import { SessionOwnerCache, settleOwners } from './session-owners.ts';

const ev = (sessionId: string, teamId: string | null) => ({ sessionId, teamId }) as NormalizedEvent;

describe('settleOwners', () => {
  it("refuses a team-bound group naming another team's session whole, and stamps every other event with its session's team", () => {
    const known = new Map<string, string | null>([
      ['red-1', 'red'],
      ['none-1', null],
    ]);
    const groups = [
      [ev('red-1', 'blue'), ev('new-1', 'blue')], // bound blue: red-1 is red's
      [ev('red-1', 'blue'), ev('none-1', 'blue'), ev('new-2', 'blue')], // unbound: stamped
      [ev('new-2', 'green'), ev('new-3', 'green')], // bound green: new-2 was claimed by blue just before
      [ev('new-3', 'green')], // bound green: new-3 is still nobody's
    ];
    const { refused, claims } = settleOwners(groups, [true, false, true, true], (s) => known.get(s));
    expect(refused).toEqual([{ foreignAt: 0 }, null, { foreignAt: 0 }, null]);
    expect(groups[0]!.map((e) => e.teamId)).toEqual(['blue', 'blue']);
    expect(groups[1]!.map((e) => e.teamId)).toEqual(['red', null, 'blue']);
    expect([...claims]).toEqual([
      ['new-2', 'blue'],
      ['new-3', 'green'],
    ]);
  });

  it('gives a new session the team of its first event when nothing is bound', () => {
    const group = [ev('s', null), ev('s', 'late')];
    const { claims } = settleOwners([group], undefined, () => undefined);
    expect([...claims]).toEqual([['s', null]]);
    expect(group.map((e) => e.teamId)).toEqual([null, null]);
  });
});

describe('SessionOwnerCache', () => {
  it('forgets the oldest entry past its size and tells a null team from an unknown session', () => {
    const cache = new SessionOwnerCache(2);
    cache.remember('a', null);
    cache.remember('b', 'x');
    cache.remember('c', 'y');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe('x');
    cache.remember('d', null);
    expect(cache.get('d')).toBeNull();
    expect(cache.get('b')).toBeUndefined();
  });
});
