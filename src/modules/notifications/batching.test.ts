import { describe, expect, it } from 'vitest';
import type { ChannelMessage } from '../channels/channel-message.ts';
import {
  decideFresh,
  decideHeld,
  groupKey,
  NO_BATCHING,
  policyFromPreferences,
  type BatchPolicy,
  type FreshNotification,
} from './batching.ts';
import { DIGEST_LINES, digestIdOf, digestMessage } from './digest-message.ts';

const MIN = 60_000;
const T0 = Date.parse('2026-06-01T12:00:00Z');
const policy: BatchPolicy = { threshold: 3, windowMs: 5 * MIN, quiet: null };
const fresh = (id: string, over: Partial<FreshNotification> = {}): FreshNotification => ({
  notificationId: id,
  teamId: 'eng',
  channelId: 'ops',
  kind: 'stop',
  priority: 'normal',
  createdAt: T0,
  ...over,
});

describe('batching fresh notifications', () => {
  it('sends the first of a group at once and holds the rest until its window closes', () => {
    const windows = new Map<string, number>();
    const decisions = decideFresh(
      [fresh('a'), fresh('b'), fresh('c', { kind: 'failure' }), fresh('d', { channelId: 'other' })],
      windows,
      () => policy,
      T0,
    );
    expect(decisions).toEqual([
      { notificationId: 'a', status: 'pending', opensWindow: true },
      { notificationId: 'b', status: 'held', heldReason: 'digest', releaseAt: T0 + 5 * MIN },
      { notificationId: 'c', status: 'pending', opensWindow: true },
      { notificationId: 'd', status: 'pending', opensWindow: true },
    ]);
    // A window opened earlier and still open holds; one that closed opens anew.
    const open = new Map([[groupKey(fresh('x')), T0 - 4 * MIN]]);
    expect(decideFresh([fresh('e')], open, () => policy, T0)[0]).toMatchObject({ status: 'held', releaseAt: T0 + MIN });
    const closed = new Map([[groupKey(fresh('x')), T0 - 5 * MIN]]);
    expect(decideFresh([fresh('f')], closed, () => policy, T0)[0]).toMatchObject({ status: 'pending', opensWindow: true });
  });

  it('lets critical ones through, holds the rest in quiet hours, and holds nothing without a window', () => {
    const quiet: BatchPolicy = { ...policy, quiet: { start: '11:00', end: '13:00', timeZone: 'UTC' } };
    const decisions = decideFresh([fresh('a', { priority: 'critical' }), fresh('b')], new Map(), () => quiet, T0);
    expect(decisions).toEqual([
      { notificationId: 'a', status: 'pending', opensWindow: false },
      { notificationId: 'b', status: 'held', heldReason: 'quiet_hours', releaseAt: Date.parse('2026-06-01T13:00:00Z') },
    ]);
    const none = decideFresh([fresh('a'), fresh('b')], new Map(), () => NO_BATCHING, T0);
    expect(none.map((d) => d.status)).toEqual(['pending', 'pending']);
  });

  it("reads a team configuration's preferences", () => {
    expect(
      policyFromPreferences({
        batch_threshold: 4,
        batch_timeout_minutes: 2.5,
        quiet_hours: { enabled: true, start: '22:00', end: '07:00', time_zone: 'Europe/Paris' },
      }),
    ).toEqual({ threshold: 4, windowMs: 150_000, quiet: { start: '22:00', end: '07:00', timeZone: 'Europe/Paris' } });
    expect(
      policyFromPreferences({
        batch_threshold: 3,
        batch_timeout_minutes: 5,
        quiet_hours: { enabled: false, start: '22:00', end: '07:00', time_zone: 'UTC' },
      }).quiet,
    ).toBeNull();
  });
});

describe('releasing held groups', () => {
  const group = (over: object = {}) => ({
    teamId: 'eng',
    channelId: 'ops',
    kind: 'stop' as const,
    waitingForDigest: 1,
    held: 1,
    firstReleaseAt: T0 + MIN,
    ...over,
  });

  it('releases a group when its window closes or its threshold is reached, not before', () => {
    expect(decideHeld([group()], () => policy, T0)).toEqual([]);
    expect(decideHeld([group()], () => policy, T0 + MIN)).toEqual([{ group: group(), action: 'release' }]);
    expect(decideHeld([group({ waitingForDigest: 3, held: 3 })], () => policy, T0)).toMatchObject([{ action: 'release' }]);
  });

  it('moves what would go during quiet hours to their end, and lets quiet-hours holds go once they are off', () => {
    const quiet: BatchPolicy = { ...policy, quiet: { start: '11:00', end: '13:00', timeZone: 'UTC' } };
    expect(decideHeld([group({ waitingForDigest: 3, held: 3 })], () => quiet, T0)).toEqual([
      { group: group({ waitingForDigest: 3, held: 3 }), action: 'defer', until: Date.parse('2026-06-01T13:00:00Z') },
    ]);
    const waitingForQuiet = group({ waitingForDigest: 0, held: 2, firstReleaseAt: T0 + 60 * MIN });
    expect(decideHeld([waitingForQuiet], () => quiet, T0)).toEqual([]);
    // The team turned quiet hours off: they go now.
    expect(decideHeld([waitingForQuiet], () => policy, T0)).toMatchObject([{ action: 'release' }]);
  });
});

describe('digest messages', () => {
  const message = (i: number, over: Partial<ChannelMessage['context']> = {}): ChannelMessage => ({
    kind: 'stop',
    priority: 'normal',
    title: `Agent stopped ${i}`,
    text: 'done',
    fields: [],
    url: `https://hookd.example.com/ui/sessions/s${i}`,
    context: {
      session_id: `s${i}`,
      event_id: `e${i}`,
      event_type: 'Stop',
      team_id: 'eng',
      rule_id: 'stops',
      project: 'web',
      timestamp: new Date(T0 + i * MIN).toISOString(),
      ...over,
    },
  });

  it('says how many, lists each in time order, and keeps what they share', () => {
    const members = [2, 0, 1].map((i) => ({ notificationId: `ntf_${i}`, message: message(i), eventAt: T0 + i * MIN }));
    const digest = digestMessage('stop', members);
    expect(digest.title).toBe('3 agents stopped');
    expect(digest.text.split('\n')).toEqual([
      '• 12:00 UTC Agent stopped 0 (web)',
      '• 12:01 UTC Agent stopped 1 (web)',
      '• 12:02 UTC Agent stopped 2 (web)',
    ]);
    expect(digest.fields).toContainEqual({ name: 'Sessions', value: '3' });
    expect(digest.fields).toContainEqual({ name: 'Project', value: 'web' });
    expect(digest.context).toMatchObject({ session_id: null, team_id: 'eng', rule_id: 'stops', event_type: 'Stop', project: 'web' });
    expect(digest.url).toBeUndefined();
    expect(digest.digest).toEqual({ count: 3, notification_ids: ['ntf_0', 'ntf_1', 'ntf_2'] });
  });

  it('counts the members past its lines, and takes its id from its members in any order', () => {
    const members = Array.from({ length: DIGEST_LINES + 5 }, (_, i) => ({ notificationId: `n${i}`, message: message(i), eventAt: T0 + i }));
    expect(digestMessage('stop', members).text.split('\n').at(-1)).toBe('…and 5 more');
    expect(digestIdOf(['a', 'b'])).toBe(digestIdOf(['b', 'a']));
    expect(digestIdOf(['a', 'b'])).not.toBe(digestIdOf(['a', 'c']));
    expect(digestIdOf(['a'])).toMatch(/^ntf_[0-9a-f]{32}$/);
  });
});
