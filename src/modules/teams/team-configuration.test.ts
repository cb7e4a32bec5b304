import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_PROBLEMS } from '../rules/problem-list.ts';
import { DEFAULT_TEAM_CONFIGURATION, MAX_RULES, defaultTeamConfiguration, validateTeamConfiguration } from './team-configuration.ts';

// Seed 000's example configuration, as it was stored by the earlier system.
const SEED = {
  team_name: 'Engineering Team',
  default_channels: { status_change: '#eng-updates', assignment: '#eng-assignments', comment: '#eng-discussions', blocker: '#eng-alerts' },
  notification_preferences: { batch_threshold: 3, batch_timeout_minutes: 5, quiet_hours: { enabled: true, start: '22:00', end: '08:00' } },
  rules: [
    {
      rule_id: 'eng_status_changes',
      name: 'Engineering Status Changes',
      hook_types: ['StatusChangeHook'],
      enabled: true,
      conditions: {
        logic: 'and',
        conditions: [{ field: 'event.classification.affected_teams', operator: 'contains', value: 'engineering' }],
      },
    },
  ],
};

const problemsOf = (input: unknown) => {
  const result = validateTeamConfiguration(input);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
};

describe('validateTeamConfiguration', () => {
  it("accepts seed 000's configuration and fills in the time zone", () => {
    const result = validateTeamConfiguration(SEED);
    expect(result).toEqual({
      ok: true,
      value: {
        ...SEED,
        notification_preferences: {
          ...SEED.notification_preferences,
          quiet_hours: { ...SEED.notification_preferences.quiet_hours, time_zone: 'UTC' },
        },
      },
    });
    expect(validateTeamConfiguration({ team_name: 'x', default_channels: { general: '#engineering' }, rules: [] })).toEqual({
      ok: true,
      value: { ...defaultTeamConfiguration(), team_name: 'x', default_channels: { general: '#engineering' } },
    });
  });

  it('returns a copy, not the input', () => {
    const input = structuredClone(SEED);
    const result = validateTeamConfiguration(input);
    input.rules[0]!.conditions.conditions[0]!.value = 'changed';
    input.default_channels.blocker = '#changed';
    expect(result.ok && result.value.rules[0]!.conditions.conditions[0]).toMatchObject({ value: 'engineering' });
    expect(result.ok && result.value.default_channels.blocker).toBe('#eng-alerts');
  });

  it('reports every problem at its JSON Pointer', () => {
    const input = structuredClone(SEED) as Record<string, any>;
    input.rule = [];
    input.default_channels['a/b~c'] = 7;
    input.notification_preferences.batch_threshold = 0;
    input.notification_preferences.quiet_hours.start = '24:00';
    input.notification_preferences.quiet_hours.time_zone = 'Mars/Olympus';
    input.rules.push({
      rule_id: 'second',
      name: 'Second',
      conditions: { logic: 'or', conditions: [{ field: 'data.x', operator: 'in', value: 'x' }] },
    });
    input.rules.push({
      rule_id: 'third',
      name: 'Third',
      conditions: {
        logic: 'and',
        conditions: [
          { field: 'data.x', operator: 'exists' },
          { logic: 'or', conditions: [{ field: 'data.y', operator: 'like', value: 'x' }] },
        ],
      },
    });
    input.rules.push({ ...input.rules[0], name: 'Again' });
    expect(problemsOf(input)).toEqual([
      {
        path: '/rule',
        message: expect.stringMatching(
          /^unknown property "rule" \(allowed: team_name, version, default_channels, notification_preferences, claims, rules\)$/,
        ),
      },
      { path: '/default_channels/a~1b~0c', message: 'expected a channel name, got a number' },
      { path: '/notification_preferences/batch_threshold', message: 'expected an integer from 1 to 1000, got 0' },
      { path: '/notification_preferences/quiet_hours/start', message: expect.stringMatching(/HH:MM/) },
      { path: '/notification_preferences/quiet_hours/time_zone', message: expect.stringMatching(/^unknown time zone "Mars\/Olympus"/) },
      { path: '/rules/1/conditions/conditions/0/value', message: 'in takes an array of values, got a string' },
      { path: '/rules/2/conditions/conditions/1/conditions/0/operator', message: expect.stringMatching(/^unknown operator "like"/) },
      { path: '/rules/3/rule_id', message: 'duplicate rule_id "eng_status_changes" (also /rules/0)' },
    ]);
  });

  it('checks time zones, times, claims and the kinds of every section', () => {
    const at = (input: unknown) => problemsOf(input).map((p) => p.path);
    expect(validateTeamConfiguration({ notification_preferences: { quiet_hours: { time_zone: 'Europe/Paris' } } }).ok).toBe(true);
    expect(at({ notification_preferences: { quiet_hours: { start: '08:00' } } })).toEqual(['/notification_preferences/quiet_hours/end']);
    expect(at({ notification_preferences: { quiet_hours: { start: '8:00', end: '23:60', enabled: 1 } } })).toEqual([
      '/notification_preferences/quiet_hours/enabled',
      '/notification_preferences/quiet_hours/start',
      '/notification_preferences/quiet_hours/end',
    ]);
    expect(at({ notification_preferences: { batch_threshold: 2.5, batch_timeout_minutes: 1441, batch: 1 } })).toEqual([
      '/notification_preferences/batch',
      '/notification_preferences/batch_threshold',
      '/notification_preferences/batch_timeout_minutes',
    ]);
    expect(at({ claims: { projects: ['billing', ''], sources: 'claude-code', teams: [] } })).toEqual([
      '/claims/teams',
      '/claims/projects/1',
      '/claims/sources',
    ]);
    expect(at({ team_name: '', version: 3, default_channels: [], rules: {} })).toEqual([
      '/team_name',
      '/version',
      '/default_channels',
      '/rules',
    ]);
    expect(at({ default_channels: JSON.parse('{"__proto__": "#x"}') })).toEqual(['/default_channels/__proto__']);
    expect(at([])).toEqual(['']);
    expect(at(null)).toEqual(['']);
  });

  it('bounds the rule count and the problem list', () => {
    const rules = Array.from({ length: MAX_RULES + 1 }, (_, i) => ({ rule_id: `r${i}`, name: 'r' }));
    expect(problemsOf({ rules })).toEqual([{ path: '/rules', message: 'at most 200 rules, got 201' }]);
    // Two problems per rule: the id has a space, the name is empty.
    const bad = Array.from({ length: 150 }, (_, i) => ({ rule_id: `bad ${i}`, name: '' }));
    const problems = problemsOf({ rules: bad });
    expect(problems).toHaveLength(MAX_PROBLEMS + 1);
    expect(problems.at(-1)).toEqual({ path: '', message: `${150 * 2 - MAX_PROBLEMS} more problem(s) not listed` });
  });

  it('reports a cycle in a JS-built configuration', () => {
    const group: Record<string, unknown> = { logic: 'and' };
    group.conditions = [group];
    expect(problemsOf({ rules: [{ rule_id: 'r', name: 'r', conditions: group }] })).toEqual([
      { path: '/rules/0/conditions/conditions/0', message: 'cycle: this object contains itself' },
    ]);
  });

  it('never throws, whatever the input', () => {
    fc.assert(fc.property(fc.anything(), (input) => void validateTeamConfiguration(input)));
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('rules', 'claims', 'default_channels', 'notification_preferences'), fc.jsonValue()),
        (input) => void validateTeamConfiguration(input),
      ),
    );
    const throwing = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('boom');
        },
      },
    );
    expect(problemsOf({ rules: [throwing] })).toEqual([{ path: '', message: 'the configuration could not be read as JSON data' }]);
  });
});

describe('the default configuration', () => {
  it('has no rules, no channels, batches by 3 or 5 minutes and disabled quiet hours 22:00-08:00 UTC', () => {
    expect(DEFAULT_TEAM_CONFIGURATION).toEqual({
      default_channels: {},
      notification_preferences: {
        batch_threshold: 3,
        batch_timeout_minutes: 5,
        quiet_hours: { enabled: false, start: '22:00', end: '08:00', time_zone: 'UTC' },
      },
      rules: [],
    });
    expect(Object.isFrozen(DEFAULT_TEAM_CONFIGURATION.notification_preferences.quiet_hours)).toBe(true);
    expect(validateTeamConfiguration(DEFAULT_TEAM_CONFIGURATION)).toEqual({ ok: true, value: DEFAULT_TEAM_CONFIGURATION });
  });

  it('is copied fresh for each team', () => {
    const a = defaultTeamConfiguration('eng');
    a.notification_preferences.quiet_hours.enabled = true;
    a.rules.push({ rule_id: 'x', name: 'x', conditions: { logic: 'and', conditions: [] } });
    expect(a.team_name).toBe('eng');
    expect(defaultTeamConfiguration('ops')).toEqual({ ...DEFAULT_TEAM_CONFIGURATION, team_name: 'ops' });
  });
});
