import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { postgresSkipReason } from '../support/test-database.ts';

/**
 * One list of hostile requests, each sent to a SQLite and a PostgreSQL server: both answer
 * the same status, never a 5xx, store nothing of a refused request, and stay healthy.
 */

interface Hostile {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  /** Sent as is (a string) or as JSON. */
  body?: unknown;
  contentType?: string;
  /** The status both must answer, where the rule says which. */
  status?: number;
}

const NUL = '\u0000';
const LONE = '\ud83d';
const VALUES: [string, string][] = [
  ['NUL', `a${NUL}b`],
  ['lone surrogate', `x${LONE}`],
  ['huge number', '99999999999999999999'],
  ['negative', '-5'],
  ['fraction', '1.5'],
  ['word', 'abc'],
  ['long', 'L'.repeat(300)],
  ['SQL', "' OR 1=1 --"],
  ['control characters', '\u0001\u001f\u007f'],
  ['empty', ''],
];

const GET_ROUTES: [string, string[]][] = [
  ['/events', ['session_id', 'event_type', 'source', 'workflow_id', 'from', 'to', 'limit', 'cursor']],
  ['/sessions', ['project', 'source', 'team', 'status', 'limit', 'cursor', 'since', 'git_branch', 'model', 'from', 'to', 'has_failures']],
  ['/stats/events', ['minutes', 'source', 'team']],
  ['/stats/sessions', ['since']],
  ['/tool-uses', ['session_id', 'tool_name', 'status', 'limit', 'cursor']],
  ['/analytics/sessions', ['from', 'to', 'since', 'project', 'team', 'limit', 'cursor', 'pattern']],
  ['/analytics/tools', ['from', 'to', 'since', 'source']],
  ['/analytics/workflows/recent', ['days']],
  ['/analytics/cost', ['from', 'to', 'since', 'source', 'project', 'team', 'model', 'group_by', 'limit']],
  ['/executions', ['hook_id', 'team_id', 'status', 'from', 'to', 'limit', 'cursor']],
  ['/executions/statistics', ['team_id', 'hours']],
  ['/performance/summary', ['hook_id', 'from', 'to']],
  ['/performance/metrics', ['hook_id', 'team_id', 'from', 'to', 'limit']],
  ['/notifications', ['status', 'session_id', 'team_id', 'channel', 'digest_id', 'limit', 'cursor']],
  ['/tasks', ['status', 'min_priority', 'assignee', 'parent', 'q', 'from', 'to', 'limit', 'cursor']],
];

const PATH_ROUTES = [
  '/events/{}',
  '/sessions/{}',
  '/analytics/sessions/{}',
  '/analytics/sessions/{}/score',
  '/analytics/tools/{}',
  '/executions/{}',
  '/teams/{}/configuration',
  '/notifications/{}',
  '/channels/{}',
  '/tasks/{}',
  '/tasks/{}/relationships',
  '/tasks/{}/graph',
];

function nested(levels: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

/** The JSON text of a value nested `levels` deep, without building it (JSON.stringify would overflow first). */
function deepText(levels: number): string {
  return `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

function battery(): Hostile[] {
  const list: Hostile[] = [];
  // A lone surrogate has no UTF-8 form: a client can only send the bytes of one (invalid UTF-8).
  const enc = (value: string) => encodeURIComponent(value.replace(LONE, '')) + (value.includes(LONE) ? '%ED%A0%BD' : '');
  for (const [route, params] of GET_ROUTES) {
    for (const param of params) {
      for (const [label, value] of VALUES) {
        const extra = route === '/performance/summary' && param !== 'hook_id' ? '&hook_id=h' : '';
        const status = label === 'NUL' || (label === 'huge number' && (param === 'from' || param === 'to')) ? 400 : undefined;
        list.push({
          name: `GET ${route}?${param}= ${label}`,
          method: 'GET',
          url: `${route}?${param}=${enc(value)}${extra}`,
          ...(status ? { status } : {}),
        });
      }
    }
  }
  for (const route of PATH_ROUTES) {
    for (const [label, value] of VALUES.filter(([l]) => l !== 'empty')) {
      list.push({
        name: `GET ${route} ${label}`,
        method: 'GET',
        url: route.replace('{}', enc(value)),
        ...(label === 'NUL' ? { status: 400 } : {}),
      });
    }
  }
  const event = (fields: Record<string, unknown>) => ({ event_type: 'hostile', session_id: 'hostile-1', ...fields });
  for (const field of ['session_id', 'event_id', 'event_type', 'source', 'team_id', 'user', 'host', 'workflow_id']) {
    for (const [label, value] of [
      ['NUL', `a${NUL}`],
      ['lone surrogate', `a${LONE}`],
      ['long', 'L'.repeat(300)],
    ] as const) {
      list.push({ name: `POST /events ${field} ${label}`, method: 'POST', url: '/events', body: event({ [field]: value }), status: 400 });
      list.push({
        name: `POST /events/batch [1].${field} ${label}`,
        method: 'POST',
        url: '/events/batch',
        body: [event({ event_id: 'ok-0' }), event({ [field]: value })],
        status: 400,
      });
    }
  }
  for (const [label, data] of [
    ['NUL in data', { text: `a${NUL}b` }],
    ['NUL in a key', { [`k${NUL}`]: 1 }],
    ['lone surrogate in data', { text: `cut ${LONE}` }],
    ['lone surrogate in a key', { [`k${LONE}`]: 1 }],
    ['nested 200 deep', nested(200)],
    ['SQL and control characters', { q: "'; DROP TABLE events; --", c: '\u0001\u0002' }],
    ['__proto__ key', JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": 1}}')],
  ] as const) {
    list.push({ name: `POST /events ${label}`, method: 'POST', url: '/events', body: event({ data }) });
  }
  for (const levels of [1000, 5000, 20000]) {
    list.push({
      name: `POST /events nested ${levels} deep`,
      method: 'POST',
      url: '/events',
      body: `{"event_type":"x","session_id":"deep","data":${deepText(levels)}}`,
    });
    list.push({
      name: `POST /events/batch nested ${levels} deep`,
      method: 'POST',
      url: '/events/batch',
      body: `[{"event_type":"x","session_id":"deep","data":${deepText(levels)}}]`,
    });
    list.push({
      name: `POST /hooks/claude-code nested ${levels} deep`,
      method: 'POST',
      url: '/hooks/claude-code',
      body: `{"hook_event_name":"Stop","session_id":"deep","x":${deepText(levels)}}`,
    });
    list.push({
      name: `POST /executions metadata nested ${levels} deep`,
      method: 'POST',
      url: '/executions',
      body: `{"hook_id":"h","hook_type":"t","event_type":"x","team_id":"t","metadata":${deepText(levels)}}`,
    });
    list.push({
      name: `POST /rules/test nested ${levels} deep`,
      method: 'POST',
      url: '/rules/test',
      body: `{"event":{"event_type":"x","session_id":"s","data":${deepText(levels)}}}`,
    });
    list.push({
      name: `PUT team configuration nested ${levels} deep`,
      method: 'PUT',
      url: '/teams/t1/configuration',
      body: `{"configuration":${deepText(levels)}}`,
    });
    list.push({ name: `PUT /sessions nested ${levels} deep`, method: 'PUT', url: '/sessions/deep-s', body: `{"cwd":${deepText(levels)}}` });
    list.push({
      name: `POST /v1/logs nested ${levels} deep`,
      method: 'POST',
      url: '/v1/logs',
      body: `{"resourceLogs":[],"x":${deepText(levels)}}`,
    });
  }
  for (const h of list) if (/nested \d{4,} deep/.test(h.name)) h.status = 400;
  for (const [label, value] of [
    ['1e400', '1e400'],
    ['2^53 + 1', '9007199254740993'],
    ['-0', '-0'],
  ]) {
    list.push({
      name: `POST /events number ${label}`,
      method: 'POST',
      url: '/events',
      body: `{"event_type":"x","session_id":"numbers","data":{"n":${value}}}`,
    });
  }
  list.push({ name: 'POST /events timestamp absurd', method: 'POST', url: '/events', body: event({ timestamp: '99999-01-01T00:00:00Z' }) });
  list.push({ name: 'POST /events timestamp huge number', method: 'POST', url: '/events', body: event({ timestamp: 1e20 }) });
  list.push({ name: 'POST /events timestamp negative', method: 'POST', url: '/events', body: event({ timestamp: -1 }) });
  list.push({
    name: 'POST /events text/plain',
    method: 'POST',
    url: '/events',
    body: JSON.stringify(event({})),
    contentType: 'text/plain',
    status: 415,
  });
  list.push({ name: 'POST /events no content type', method: 'POST', url: '/events', body: JSON.stringify(event({})), contentType: '' });
  list.push({
    name: 'POST /events json with charset',
    method: 'POST',
    url: '/events',
    body: JSON.stringify(event({ event_id: 'charset-1' })),
    contentType: 'application/json; charset=utf-8',
  });
  list.push({ name: 'POST /events body null', method: 'POST', url: '/events', body: 'null' });
  list.push({ name: 'POST /events body string', method: 'POST', url: '/events', body: '"x"' });
  list.push({ name: 'POST /events malformed', method: 'POST', url: '/events', body: '{"event_type":' });
  list.push({ name: 'POST /events/batch empty', method: 'POST', url: '/events/batch', body: [] });
  for (const [field, value] of [
    ['hook_id', `h${NUL}`],
    ['hook_id', `h${LONE}`],
    ['team_id', `t${NUL}`],
    ['event_id', `e${NUL}`],
    ['ticket_key', 'L'.repeat(5000)],
    ['started_at', '99999999999999999999'],
  ] as [string, string][]) {
    list.push({
      name: `POST /executions ${field} hostile`,
      method: 'POST',
      url: '/executions',
      body: { hook_id: 'h', hook_type: 't', event_type: 'x', team_id: 't', [field]: value },
    });
  }
  list.push({
    name: 'POST /executions metadata lone surrogate',
    method: 'POST',
    url: '/executions',
    body: { hook_id: 'h', hook_type: 't', event_type: 'x', team_id: 't', metadata: { s: `x${LONE}` } },
  });
  list.push({
    name: 'PUT team configuration lone surrogate',
    method: 'PUT',
    url: '/teams/t2/configuration',
    body: { configuration: { team_name: `x${LONE}`, rules: [] } },
  });
  list.push({
    name: 'PUT team configuration NUL',
    method: 'PUT',
    url: '/teams/t3/configuration',
    body: { configuration: { team_name: `x${NUL}`, rules: [] } },
  });
  for (const [field, value] of [
    ['cwd', `a${NUL}`],
    ['project', `p${LONE}`],
    ['team_id', 'L'.repeat(300)],
  ] as [string, string][]) {
    list.push({ name: `PUT /sessions ${field} hostile`, method: 'PUT', url: '/sessions/hostile-s', body: { [field]: value } });
  }
  // Well-formed but out of every range a storage holds: refused (or clamped) alike, never a 5xx.
  const cursor = (at: number) => Buffer.from(JSON.stringify([at, 'x'])).toString('base64url');
  list.push({ name: 'GET /sessions cursor past the year 9999', method: 'GET', url: `/sessions?cursor=${cursor(1e20)}`, status: 400 });
  list.push({ name: 'GET /sessions cursor before 1970', method: 'GET', url: `/sessions?cursor=${cursor(-1e15)}`, status: 400 });
  list.push({ name: 'GET /stats/sessions since before 1970', method: 'GET', url: '/stats/sessions?since=999999w', status: 200 });
  list.push({ name: 'GET /analytics/tools since before 1970', method: 'GET', url: '/analytics/tools?since=999999w' });
  list.push({
    name: 'GET /analytics/cost since before 1970',
    method: 'GET',
    url: '/analytics/cost?since=999999w&group_by=day',
    status: 200,
  });
  list.push({ name: 'POST /tokens name NUL', method: 'POST', url: '/tokens', body: { scopes: ['read'], name: `n${NUL}` } });
  list.push({ name: 'POST /tokens team lone surrogate', method: 'POST', url: '/tokens', body: { scopes: ['read'], team_id: `t${LONE}` } });
  list.push({
    name: 'POST /rules/preview template NUL',
    method: 'POST',
    url: '/rules/preview',
    body: { template: `a${NUL}{{data.x}}`, event: { event_type: 'x', session_id: 's' } },
  });
  list.push({
    name: 'POST /rules/preview template unclosed',
    method: 'POST',
    url: '/rules/preview',
    body: { template: '{{#data.x}}', event: { event_type: 'x', session_id: 's' } },
    status: 400,
  });
  list.push({
    name: 'POST /rules/preview partial',
    method: 'POST',
    url: '/rules/preview',
    body: { template: '{{> secrets}}', event: { event_type: 'x', session_id: 's' } },
    status: 400,
  });
  list.push({
    name: 'POST /rules/preview loop over a huge array',
    method: 'POST',
    url: '/rules/preview',
    body: {
      template: '{{#data.a}}{{#data.a}}{{#data.a}}x{{/data.a}}{{/data.a}}{{/data.a}}',
      event: { event_type: 'x', session_id: 's', data: { a: Array.from({ length: 5000 }, (_, i) => i) } },
    },
    status: 200,
  });
  list.push({
    name: 'POST /rules/preview event_id NUL',
    method: 'POST',
    url: '/rules/preview',
    body: { template: 'x', event_id: `e${NUL}` },
  });
  list.push({
    name: 'POST /rules/preview template object of numbers',
    method: 'POST',
    url: '/rules/preview',
    body: { template: { title: 5, text: [] }, event: { event_type: 'x', session_id: 's' } },
    status: 400,
  });
  list.push({
    name: 'POST /channels email with a header in its recipients',
    method: 'POST',
    url: '/channels',
    body: {
      channel_id: 'hostile-mail',
      kind: 'email',
      url: 'smtp://mail.example.com?from=a@example.com&to=b@example.com%0d%0aBcc:c@example.com',
    },
    status: 400,
  });
  list.push({
    name: 'POST /channels email password in the URL',
    method: 'POST',
    url: '/channels',
    body: { channel_id: 'hostile-mail2', kind: 'email', url: 'smtp://u:p@mail.example.com?from=a@example.com&to=b@example.com' },
    status: 400,
  });
  list.push({
    name: 'POST /channels ntfy NUL topic',
    method: 'POST',
    url: '/channels',
    body: { channel_id: 'hostile-ntfy', kind: 'ntfy', url: `https://ntfy.sh/t${NUL}` },
    status: 400,
  });
  for (const [label, body, status] of [
    ['task_id NUL', { task_id: `t${NUL}`, title: 'x' }, 400],
    ['task_id with a slash', { task_id: 'a/b', title: 'x' }, 400],
    ['task_id 256 long', { task_id: 'L'.repeat(256), title: 'x' }, 400],
    ['title lone surrogate', { task_id: 'hostile-task-1', title: `cut ${LONE}` }, undefined],
    ['priority a fraction', { title: 'x', priority: 1.5 }, 400],
    ['requirements not strings', { title: 'x', requirements: [1, { a: 1 }] }, 400],
    ['metadata an array', { title: 'x', metadata: [1] }, 400],
    ['metadata nested deep', { title: 'x', metadata: nested(60) }, undefined],
    ['metadata over 64 KiB', { title: 'x', metadata: { blob: 'x'.repeat(70_000) } }, 413],
    ['status pending', { title: 'x', status: 'pending' }, 400],
    ['__proto__ in metadata', JSON.parse('{"title":"x","metadata":{"__proto__":{"polluted":1}}}'), undefined],
  ] as [string, unknown, number | undefined][]) {
    list.push({ name: `POST /tasks ${label}`, method: 'POST', url: '/tasks', body, ...(status ? { status } : {}) });
  }
  for (const [label, body, status] of [
    ['strength NaN text', { to_task_id: 'hostile-task-1', kind: 'related', strength: 'NaN' }, 400],
    ['strength 2', { to_task_id: 'hostile-task-1', kind: 'related', strength: 2 }, 400],
    ['strength a huge number', { to_task_id: 'hostile-task-1', kind: 'related', strength: 1e308 }, 400],
    ['kind unknown', { to_task_id: 'hostile-task-1', kind: 'friends' }, 400],
    ['to_task_id NUL', { to_task_id: `t${NUL}`, kind: 'blocks' }, 400],
    ['to a missing task', { to_task_id: 'no-such-task', kind: 'blocks' }, 404],
  ] as [string, unknown, number][]) {
    list.push({ name: `POST /tasks/{}/relationships ${label}`, method: 'POST', url: '/tasks/hostile-task-1/relationships', body, status });
  }
  list.push({
    name: 'PATCH /tasks/{} conclusion without completed',
    method: 'PATCH',
    url: '/tasks/hostile-task-1',
    body: { conclusion: 'success' },
    status: 400,
  });
  list.push({ name: 'GET /tasks/{}/graph depth 0', method: 'GET', url: '/tasks/hostile-task-1/graph?depth=0', status: 400 });
  list.push({ name: 'GET /tasks/{}/graph depth 1e9', method: 'GET', url: '/tasks/hostile-task-1/graph?depth=1000000000', status: 400 });
  list.push({
    name: 'PUT team quiet hours in an unknown zone',
    method: 'PUT',
    url: '/teams/t1/configuration',
    body: {
      configuration: {
        notification_preferences: { quiet_hours: { enabled: true, start: '22:00', end: '08:00', time_zone: 'Mars/Olympus' } },
      },
    },
    status: 400,
  });
  list.push({
    name: 'POST /rules/test event NUL',
    method: 'POST',
    url: '/rules/test',
    body: { event: { event_type: 'x', session_id: `s${NUL}` } },
  });
  list.push({
    name: 'POST /hooks/claude-code prompt lone surrogate',
    method: 'POST',
    url: '/hooks/claude-code',
    body: { hook_event_name: 'UserPromptSubmit', session_id: 'hook-s', prompt: `cut ${LONE}` },
  });
  list.push({
    name: 'POST /hooks/claude-code session NUL',
    method: 'POST',
    url: '/hooks/claude-code',
    body: { hook_event_name: 'Stop', session_id: `s${NUL}` },
  });
  const otlpLogs = (attributes: Record<string, unknown>, record: Record<string, unknown> = {}) => ({
    resourceLogs: [
      {
        scopeLogs: [
          {
            logRecords: [
              {
                ...record,
                attributes: Object.entries({ 'event.name': { stringValue: 'api_request' }, ...attributes }).map(([key, value]) => ({
                  key,
                  value,
                })),
              },
            ],
          },
        ],
      },
    ],
  });
  for (const [label, body, status] of [
    ['session NUL', otlpLogs({ 'session.id': { stringValue: `s${NUL}` } }), 400],
    ['session lone surrogate', otlpLogs({ 'session.id': { stringValue: `s${LONE}` } }), 200],
    ['session long', otlpLogs({ 'session.id': { stringValue: 'L'.repeat(300) } }), 200],
    ['session an integer', otlpLogs({ 'session.id': { intValue: '7' } }), 200],
    ['time past 2^64', otlpLogs({ 'session.id': { stringValue: 'otlp-h' } }, { timeUnixNano: '99999999999999999999' }), 400],
    ['time in the year 2554', otlpLogs({ 'session.id': { stringValue: 'otlp-h' } }, { timeUnixNano: '18446744073709551615' }), 200],
    ['time in 1970', otlpLogs({ 'session.id': { stringValue: 'otlp-h' } }, { timeUnixNano: '1' }), 200],
    ['int64 value out of range', otlpLogs({ 'session.id': { stringValue: 'otlp-h' }, n: { intValue: '1e400' } }), 400],
    ['value of the wrong type', otlpLogs({ 'session.id': { stringValue: 'otlp-h' }, n: { boolValue: 'yes' } }), 400],
    ['__proto__ attribute', otlpLogs({ 'session.id': { stringValue: 'otlp-h' }, ['__proto__']: { stringValue: 'x' } }), 200],
    ['records not a list', { resourceLogs: [{ scopeLogs: [{ logRecords: { a: 1 } }] }] }, 400],
    ['body null', 'null', 400],
    ['body an array', [], 400],
    ['empty export', {}, 200],
    ['a metrics export', { resourceMetrics: [] }, 400],
  ] as [string, unknown, number][]) {
    list.push({ name: `POST /v1/logs ${label}`, method: 'POST', url: '/v1/logs', body, status });
  }
  const otlpPoint = (point: Record<string, unknown>, temporality: unknown = 1) => ({
    resourceMetrics: [
      {
        scopeMetrics: [
          { metrics: [{ name: 'claude_code.cost.usage', sum: { aggregationTemporality: temporality, dataPoints: [point] } }] },
        ],
      },
    ],
  });
  const session = [{ key: 'session.id', value: { stringValue: 'otlp-m' } }];
  for (const [label, body, status] of [
    ['value a huge number', otlpPoint({ timeUnixNano: '1796205660000000000', asDouble: 1e308, attributes: session }), 200],
    ['value NaN', otlpPoint({ timeUnixNano: '1796205660000000000', asDouble: 'NaN', attributes: session }), 200],
    ['value a word', otlpPoint({ timeUnixNano: '1796205660000000000', asInt: 'many', attributes: session }), 400],
    ['temporality a word', otlpPoint({ timeUnixNano: '1796205660000000000', asInt: 1, attributes: session }, 'often'), 400],
    [
      'start after end',
      otlpPoint({ startTimeUnixNano: '1896205660000000000', timeUnixNano: '1796205660000000000', asInt: 1, attributes: session }),
      200,
    ],
  ] as [string, unknown, number][]) {
    list.push({ name: `POST /v1/metrics ${label}`, method: 'POST', url: '/v1/metrics', body, status });
  }
  for (const [label, body, contentType, status] of [
    ['protobuf garbage', '\u000a\u00ff\u00ff\u00ff', 'application/x-protobuf', 400],
    ['protobuf empty', '', 'application/x-protobuf', 200],
    ['text/plain', '{}', 'text/plain', 415],
    ['no content type', '{}', '', 415],
  ] as [string, string, string, number][]) {
    list.push({ name: `POST /v1/metrics ${label}`, method: 'POST', url: '/v1/metrics', body, contentType, status });
  }
  return list;
}

const skip = postgresSkipReason();
if (skip) console.log(`hostile battery skipped: it compares SQLite with PostgreSQL, and ${skip}`);

describe.skipIf(skip !== null)('hostile battery: SQLite and PostgreSQL answer alike', () => {
  let sqlite: TestApp;
  let postgres: TestApp;
  beforeAll(async () => {
    [sqlite, postgres] = await Promise.all([createTestApp('sqlite'), createTestApp('postgres')]);
    // Tokens on from the start: a hostile POST /tokens that succeeds must not change the rules half-way.
    for (const t of [sqlite, postgres]) tokens.set(t, (await t.runtime.services.tokens.create({ scopes: ['admin'] })).token);
  });
  const tokens = new Map<TestApp, string>();
  afterAll(async () => Promise.all([sqlite?.close(), postgres?.close()]));

  const send = async (t: TestApp, h: Hostile) => {
    const payload = h.body === undefined ? undefined : typeof h.body === 'string' ? h.body : JSON.stringify(h.body);
    const headers: Record<string, string> = { authorization: `Bearer ${tokens.get(t)}` };
    if (payload !== undefined && h.contentType !== '') headers['content-type'] = h.contentType ?? 'application/json';
    const res = await t.app.inject({ method: h.method, url: h.url, headers, ...(payload === undefined ? {} : { payload }) });
    return { status: res.statusCode, body: res.body };
  };
  const count = async (t: TestApp) => t.runtime.services.stores.events.count();

  it('answers every hostile request the same on both storages, never 5xx, storing nothing it refused', async () => {
    const list = battery();
    const problems: string[] = [];
    const statuses = new Map<number, number>();
    for (const h of list) {
      const before = await Promise.all([count(sqlite), count(postgres)]);
      const [a, b] = await Promise.all([send(sqlite, h), send(postgres, h)]);
      statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
      if (a.status >= 500 || b.status >= 500)
        problems.push(`${h.name}: ${a.status} / ${b.status} ${a.status >= 500 ? a.body : b.body}`.slice(0, 300));
      else if (h.status !== undefined && (a.status !== h.status || b.status !== h.status))
        problems.push(`${h.name}: ${a.status} / ${b.status}, expected ${h.status}`);
      else if (a.status !== b.status)
        problems.push(`${h.name}: SQLite ${a.status}, PostgreSQL ${b.status}: ${a.body.slice(0, 120)} | ${b.body.slice(0, 120)}`);
      const after = await Promise.all([count(sqlite), count(postgres)]);
      for (const [i, [s, label]] of (
        [
          [a, 'SQLite'],
          [b, 'PostgreSQL'],
        ] as const
      ).entries()) {
        if (s.status >= 400 && after[i] !== before[i])
          problems.push(`${h.name}: ${label} answered ${s.status} yet stored ${after[i]! - before[i]!} events`);
      }
      for (const t of [sqlite, postgres]) {
        if ((await t.app.inject({ url: '/health' })).statusCode !== 200) problems.push(`${h.name}: unhealthy afterwards`);
      }
    }
    console.log(
      `hostile battery: ${list.length} requests per storage; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
    );
    expect(problems).toEqual([]);
  }, 300_000);

  it('keeps what both storages can keep alike: lone surrogates become U+FFFD, big numbers as JavaScript reads them', async () => {
    const body = `{"event_type":"x","session_id":"alike","event_id":"alike-1","data":{"cut":"emoji \\ud83d","pair":"\\ud83d\\ude00","huge":1e400,"big":9007199254740993,"z":1,"a":2}}`;
    const kept = [];
    for (const t of [sqlite, postgres]) {
      expect((await send(t, { name: 'alike', method: 'POST', url: '/events', body })).status).toBe(202);
      const stored = JSON.parse((await send(t, { name: 'read', method: 'GET', url: '/events/alike-1' })).body).data;
      kept.push(stored);
      expect(stored).toMatchObject({ cut: 'emoji \ufffd', pair: '\ud83d\ude00', huge: null, big: 9007199254740992 });
    }
    // Key order is not kept by PostgreSQL's jsonb; the values are.
    expect(kept[0]).toEqual(kept[1]);
  });
});
