import { describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../events/event.ts';
import type { Rule } from '../rules/rule.ts';
import { notificationKindOf } from './notification-kind.ts';
import { defaultChannelOf, notificationIdOf, planNotifications, type Fired } from './notification-plan.ts';
import { retryDelayMs, RETRY_DELAYS_MS } from './retry-schedule.ts';

const event = (type: string, data: Record<string, unknown>, at = '2026-12-07T10:00:00.000Z'): CanonicalEvent => ({
  event_id: `e-${type}-${at}`,
  session_id: 's1',
  event_type: type,
  source: 'claude-code',
  workflow_id: null,
  phase_id: null,
  milestone_id: null,
  team_id: 'eng',
  task_id: null,
  user: null,
  host: null,
  timestamp: at,
  received_at: at,
  data,
});
const rule = (extra: Partial<Rule> = {}): Rule => ({ rule_id: 'r', name: 'R', conditions: { logic: 'and', conditions: [] }, ...extra });
const fired = (e: CanonicalEvent, r: Rule, defaults: Record<string, string> = {}, executionId = `x-${e.event_id}`): Fired => ({
  rule: r,
  executionId,
  teamId: 'eng',
  defaultChannels: defaults,
  event: e,
  session: null,
  batchPolicy: { threshold: 3, windowMs: 300_000, quiet: null },
});
const settings = { windowMs: 86_400_000, publicUrl: 'https://hookd.example.com/', staleMs: 600_000 };

describe('what a firing rule sends', () => {
  it('gives each event its kind, a Notification by its notification_type', () => {
    expect(notificationKindOf(event('permission_requested', {}))).toBe('permission');
    expect(notificationKindOf(event('notification', { notification_type: 'permission_prompt' }))).toBe('permission');
    expect(notificationKindOf(event('notification', { notification_type: 'idle_prompt' }))).toBe('input');
    expect(notificationKindOf(event('agent_stopped', {}))).toBe('stop');
    expect(notificationKindOf(event('session_ended', {}))).toBe('session_end');
    expect(notificationKindOf(event('tool_execution_failed', {}))).toBe('failure');
    expect(notificationKindOf(event('prompt_submitted', {}))).toBe('rule');
  });

  it('records a prompt older than the stale setting when its rule fires as stale, and only prompts', () => {
    const at = '2026-12-07T10:00:00.000Z';
    const t = Date.parse(at);
    const r = rule({ channels: ['a'] });
    const permission = event('permission_requested', { tool_name: 'Bash' }, at);
    const input = event('notification', { notification_type: 'idle_prompt' }, at);
    const stop = event('agent_stopped', {}, at);
    const late = planNotifications([fired(permission, r), fired(input, r), fired(stop, r)], settings, t + 11 * 60_000);
    expect(late.map((n) => [n.kind, n.status])).toEqual([
      ['permission', 'stale'],
      ['input', 'stale'],
      ['stop', 'new'],
    ]);
    expect(late[0]!.error).toBe('stale: its event was 11 min old when its rule fired (the limit is 10 min), so it was not sent');
    const inTime = planNotifications([fired(permission, r)], settings, t + 10 * 60_000);
    expect(inTime.map((n) => [n.status, n.error])).toEqual([['new', null]]);
  });

  it('leaves batching what it may hold back, and sends the rest as pending: critical ones, and teams that hold nothing', () => {
    const stop = event('agent_stopped', {});
    const at = Date.parse(stop.received_at);
    const status = (f: Fired) => planNotifications([f], settings, at)[0]!.status;
    expect(status(fired(stop, rule({ channels: ['a'] })))).toBe('new');
    expect(status(fired(stop, rule({ channels: ['a'], priority: 'critical' })))).toBe('pending');
    const off = { ...fired(stop, rule({ channels: ['a'] })), batchPolicy: { threshold: 1, windowMs: 0, quiet: null } };
    expect(status(off)).toBe('pending');
    const quietOnly = { ...off, batchPolicy: { threshold: 1, windowMs: 0, quiet: { start: '22:00', end: '08:00', timeZone: 'UTC' } } };
    expect(status(quietOnly)).toBe('new');
  });

  it("falls back from the kind to the seed's names, then default and general", () => {
    expect(defaultChannelOf({ permission: 'a', blocker: 'b' }, 'permission')).toBe('a');
    expect(defaultChannelOf({ blocker: 'b', general: 'g' }, 'input')).toBe('b');
    expect(defaultChannelOf({ status_change: 's' }, 'session_end')).toBe('s');
    expect(defaultChannelOf({ general: 'g' }, 'rule')).toBe('g');
    expect(defaultChannelOf({ blocker: 'b' }, 'stop')).toBeNull();
  });

  it("sends to the rule's channels, else the default, one notification each, with stable ids and a link", () => {
    const stop = event('agent_stopped', { last_assistant_message: 'done' });
    const plan = planNotifications(
      [fired(stop, rule({ channels: ['a', 'b'], priority: 'critical' })), fired(stop, rule(), { stop: 'c' }, 'x2')],
      settings,
      1,
    );
    expect(plan.map((n) => [n.channelId, n.kind, n.priority])).toEqual([
      ['a', 'stop', 'critical'],
      ['b', 'stop', 'critical'],
      ['c', 'stop', 'normal'],
    ]);
    expect(plan[0]!.notificationId).toBe(notificationIdOf(`x-${stop.event_id}`, 'a'));
    expect(plan[0]!.message.url).toBe('https://hookd.example.com/ui/sessions/s1');
    expect(plan[0]!.expiresAt).toBe(1 + 86_400_000);
    expect(planNotifications([fired(stop, rule())], settings, 1)).toEqual([]);
  });

  it('merges the two reports of one permission prompt within 30 s, but not two prompts of one kind', () => {
    const request = event('permission_requested', { tool_name: 'Bash' }, '2026-12-07T10:00:00.000Z');
    const notice = event('notification', { notification_type: 'permission_prompt' }, '2026-12-07T10:00:01.000Z');
    const another = event('permission_requested', { tool_name: 'Edit' }, '2026-12-07T10:00:02.000Z');
    const late = event('notification', { notification_type: 'permission_prompt' }, '2026-12-07T10:01:00.000Z');
    const r = rule({ channels: ['a'] });
    const plan = planNotifications(
      [request, notice, another, late].map((e) => fired(e, r)),
      settings,
      1,
    );
    expect(plan.map((n) => n.eventId)).toEqual([request.event_id, another.event_id, late.event_id]);
  });

  it('renders a template over the event and session', () => {
    const failed = event('tool_execution_failed', { tool_name: 'Bash', error: 'exit 1' });
    const [n] = planNotifications(
      [fired(failed, rule({ channels: ['a'], template: '{{data.tool_name}}: {{data.error}}{{data.missing}}' }))],
      settings,
      1,
    );
    expect(n!.message).toMatchObject({ title: 'Tool failed: Bash', text: 'Bash: exit 1' });
  });
});

describe('the retry schedule', () => {
  it('waits 5 s, 15 s, 45 s, ... then hourly, each within ±20%, and a longer Retry-After wins', () => {
    expect(retryDelayMs(1, null, () => 0)).toBe(4_000);
    expect(retryDelayMs(1, null, () => 1)).toBe(6_000);
    expect(retryDelayMs(2, null, () => 0.5)).toBe(15_000);
    expect(retryDelayMs(50, null, () => 0.5)).toBe(RETRY_DELAYS_MS.at(-1));
    expect(retryDelayMs(1, 120_000, () => 0.5)).toBe(120_000);
    expect(retryDelayMs(3, 1_000, () => 0.5)).toBe(45_000);
  });
});
