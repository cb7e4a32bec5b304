import { expect, it } from 'vitest';
import type { Notification } from './api-types.ts';
import { heldGroups, heldWhy, preferencesOf } from './held-groups.ts';

const held = (id: string, over: Partial<Notification>): Notification => ({
  notification_id: id,
  status: 'held',
  kind: 'stop',
  priority: 'normal',
  channel: 'ops',
  team_id: 'eng',
  session_id: null,
  event_id: null,
  event_type: null,
  execution_id: null,
  retry_count: 0,
  error: null,
  status_code: null,
  title: id,
  created_at: '2026-06-01T12:01:00.000Z',
  next_attempt_at: '2026-06-01T12:05:00.000Z',
  held_reason: 'digest',
  opens_window: false,
  digest_id: null,
  digest_size: 0,
  sent_at: null,
  expires_at: '2026-06-02T12:00:00.000Z',
  ...over,
});

it('groups held notifications as the server batches them, the group that goes first first, oldest first within', () => {
  const groups = heldGroups([
    held('b', { created_at: '2026-06-01T12:02:00.000Z' }),
    held('night', { held_reason: 'quiet_hours', next_attempt_at: '2026-06-02T06:00:00.000Z' }),
    held('a', {}),
    held('other-kind', { kind: 'failure', next_attempt_at: '2026-06-01T12:03:00.000Z' }),
  ]);
  expect(groups.map((g) => [g.kind, g.reason, g.goesAt, g.items.map((n) => n.notification_id)])).toEqual([
    ['failure', 'digest', '2026-06-01T12:03:00.000Z', ['other-kind']],
    ['stop', 'digest', '2026-06-01T12:05:00.000Z', ['a', 'b']],
    ['stop', 'quiet_hours', '2026-06-02T06:00:00.000Z', ['night']],
  ]);
});

it("says why they wait from the team's preferences, and more generally without them", () => {
  const prefs = preferencesOf({
    notification_preferences: {
      batch_threshold: 5,
      batch_timeout_minutes: 30,
      quiet_hours: { enabled: true, start: '22:00', end: '08:00', time_zone: 'Europe/Berlin' },
    },
  });
  expect(prefs).toEqual({ threshold: 5, windowMinutes: 30, quiet: { start: '22:00', end: '08:00', timeZone: 'Europe/Berlin' } });
  expect(heldWhy('digest', prefs)).toEqual({
    label: 'digest',
    why: 'Waiting for more within the 30-minute window, to go as one digest',
    after: ', or sooner once 5 wait',
  });
  expect(heldWhy('quiet_hours', prefs).why).toBe("Held through the team's quiet hours (22:00–08:00, Europe/Berlin)");
  expect(heldWhy('digest', null)).toMatchObject({ why: 'Waiting for more within its digest window, to go as one digest', after: '' });
  expect(heldWhy('quiet_hours', null).why).toBe("Held through the team's quiet hours");
  expect(preferencesOf({ rules: [] })).toBeNull();
});
