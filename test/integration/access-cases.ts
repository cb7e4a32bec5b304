/**
 * The requests of the access matrix (access-matrix.test.ts): per route, what a token sends
 * for its own data, and the same request aimed at another team's (or a sibling session's)
 * data with the statuses that refuse it.
 */
export const OWN_TEAM = 'team-a-mx';
export const FOREIGN_TEAM = 'team-b-mx';
export const VICTIM = 'victim-b-mx';
export const SIBLING = 'sibling-a-mx';
export const FOREIGN_SECRET = 'SECRET-B-mx';
export const SIBLING_SECRET = 'SECRET-SIB-mx';
export const FOREIGN_TOOL = 'SecretToolBmx';
/** The other team's channel, named with FOREIGN_SECRET. */
export const FOREIGN_CHANNEL = 'victim-channel-mx';
/** The channel and config key prepare() makes for each cell. */
export const channelOf = (o: { sid: string }) => `ch-${o.sid}`;
export const configKeyOf = (o: { sid: string }) => `cfg-${o.sid}`;
/** The dead notification prepare() makes for each cell (of its session), and the other team's. */
export const notificationOf = (o: { sid: string }) => `ntf-${o.sid}`;
export const FOREIGN_NOTIFICATION = 'ntf-victim-mx';
/** The other team's task (titled with FOREIGN_SECRET), and the two tasks prepare() makes for each cell, the first related to the second. */
export const FOREIGN_TASK = 'task-victim-mx';
export const taskOf = (o: { sid: string }) => `tk-${o.sid}`;
export const otherTaskOf = (o: { sid: string }) => `tk2-${o.sid}`;

export interface Req {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
}

/** What one cell's request may use: its own session (the token's, when session-bound), event, execution and token. */
export interface Own {
  sid: string;
  eventId: string;
  executionId: string;
  tokenId: string;
  /** The cell's token itself (null: no token), for the route that takes one in its body (POST /auth/session). */
  token?: string | null;
}

/** The foreign data every bound request must never reach. */
export interface Foreign {
  eventId: string;
  executionId: string;
  tokenId: string;
}

export interface Case {
  /** The session is not created first (POST /sessions creates it). */
  noSession?: boolean;
  /** Served to anyone, whatever the token (as /health): its cells read `open`, not the binding. */
  open?: boolean;
  own(o: Own): Req;
  /** The same request aimed at another team's data (or a sibling session), with the statuses that refuse it; 200 = served empty. */
  foreign?(f: Foreign, o: Own): { req: Req; status: number[] };
}

export const get = (url: string): Req => ({ method: 'GET', url });
export const post = (url: string, body: unknown = {}): Req => ({ method: 'POST', url, body });
const notFound = [404];
const event = (sid: string, id?: string) => ({ event_type: 'matrix_probe', session_id: sid, ...(id ? { event_id: id } : {}) });
const config = { configuration: { team_name: 'Matrix', rules: [] } };
const otelAttributes = (values: Record<string, string>) => Object.entries(values).map(([key, v]) => ({ key, value: { stringValue: v } }));
/** An OTLP logs export with one Claude Code API request of the session. */
const otlpLogs = (sid: string) => ({
  resourceLogs: [
    {
      resource: { attributes: otelAttributes({ 'service.name': 'claude-code' }) },
      scopeLogs: [
        { logRecords: [{ attributes: otelAttributes({ 'event.name': 'api_request', 'session.id': sid, model: 'matrix-model' }) }] },
      ],
    },
  ],
});
/** An OTLP metrics export with one token-usage point of the session. */
const otlpMetrics = (sid: string) => ({
  resourceMetrics: [
    {
      scopeMetrics: [
        {
          metrics: [
            {
              name: 'claude_code.token.usage',
              sum: {
                aggregationTemporality: 1,
                dataPoints: [
                  { timeUnixNano: `${Date.now()}000000`, asInt: '5', attributes: otelAttributes({ 'session.id': sid, type: 'input' }) },
                ],
              },
            },
          ],
        },
      ],
    },
  ],
});

export const CASES: Record<string, Case> = {
  'GET /health': { own: () => get('/health') },
  'GET /health/live': { own: () => get('/health/live') },
  'GET /health/ready': { own: () => get('/health/ready') },
  'GET /metrics': { own: () => get('/metrics') },
  'GET /metrics/prometheus': { own: () => get('/metrics/prometheus') },
  'GET /openapi.json': { own: () => get('/openapi.json') },
  'POST /events': {
    own: (o) => post('/events', event(o.sid)),
    foreign: () => ({ req: post('/events', event(VICTIM)), status: notFound }),
  },
  'POST /events/batch': {
    own: (o) => post('/events/batch', [event(o.sid), event(o.sid)]),
    foreign: (_f, o) => ({ req: post('/events/batch', [event(o.sid, `${o.sid}-never`), event(VICTIM)]), status: notFound }),
  },
  'GET /events': {
    own: () => get('/events?limit=200'),
    foreign: () => ({ req: get(`/events?session_id=${VICTIM}`), status: [200] }),
  },
  'GET /events/{event_id}': {
    own: (o) => get(`/events/${o.eventId}`),
    foreign: (f) => ({ req: get(`/events/${f.eventId}`), status: notFound }),
  },
  'GET /events/stream': {
    own: () => get('/events/stream?backlog=50'),
    foreign: () => ({ req: get(`/events/stream?backlog=50&session_id=${VICTIM}`), status: [200] }),
  },
  'POST /hooks/{source}': {
    own: (o) => post('/hooks/claude-code', { hook_event_name: 'UserPromptSubmit', session_id: o.sid, prompt: 'hello' }),
    foreign: () => ({
      req: post('/hooks/claude-code', { hook_event_name: 'UserPromptSubmit', session_id: VICTIM, prompt: 'x' }),
      status: notFound,
    }),
  },
  'POST /v1/logs': {
    own: (o) => post('/v1/logs', otlpLogs(o.sid)),
    foreign: () => ({ req: post('/v1/logs', otlpLogs(VICTIM)), status: notFound }),
  },
  'POST /v1/metrics': {
    own: (o) => post('/v1/metrics', otlpMetrics(o.sid)),
    foreign: () => ({ req: post('/v1/metrics', otlpMetrics(VICTIM)), status: notFound }),
  },
  'GET /sessions': {
    own: () => get('/sessions?limit=200'),
    foreign: () => ({ req: get(`/sessions?team=${FOREIGN_TEAM}`), status: [200] }),
  },
  'POST /sessions': {
    noSession: true,
    own: (o) => post('/sessions', { session_id: o.sid }),
    foreign: () => ({ req: post('/sessions', { session_id: VICTIM }), status: notFound }),
  },
  'GET /sessions/{id}': {
    own: (o) => get(`/sessions/${o.sid}`),
    foreign: () => ({ req: get(`/sessions/${VICTIM}`), status: notFound }),
  },
  'PUT /sessions/{id}': {
    own: (o) => ({ method: 'PUT', url: `/sessions/${o.sid}`, body: { model: 'matrix-model' } }),
    foreign: () => ({ req: { method: 'PUT', url: `/sessions/${VICTIM}`, body: { model: 'x' } }, status: notFound }),
  },
  'DELETE /sessions/{id}': {
    own: (o) => ({ method: 'DELETE', url: `/sessions/${o.sid}` }),
    foreign: () => ({ req: { method: 'DELETE', url: `/sessions/${VICTIM}` }, status: notFound }),
  },
  'GET /tool-uses': {
    own: () => get('/tool-uses?limit=200'),
    foreign: () => ({ req: get(`/tool-uses?session_id=${VICTIM}`), status: [200] }),
  },
  'POST /sessions/{id}/activity': {
    own: (o) => post(`/sessions/${o.sid}/activity`),
    foreign: () => ({ req: post(`/sessions/${VICTIM}/activity`), status: notFound }),
  },
  'POST /sessions/{id}/idle': {
    own: (o) => post(`/sessions/${o.sid}/idle`, { idle: true }),
    foreign: () => ({ req: post(`/sessions/${VICTIM}/idle`, { idle: true }), status: notFound }),
  },
  'POST /sessions/{id}/end': {
    own: (o) => post(`/sessions/${o.sid}/end`, { reason: 'matrix' }),
    foreign: () => ({ req: post(`/sessions/${VICTIM}/end`, { reason: 'x' }), status: notFound }),
  },
  'GET /analytics/sessions': {
    own: () => get('/analytics/sessions?limit=200'),
    foreign: () => ({ req: get(`/analytics/sessions?team=${FOREIGN_TEAM}`), status: [200] }),
  },
  'GET /analytics/sessions/{id}': {
    own: (o) => get(`/analytics/sessions/${o.sid}`),
    foreign: () => ({ req: get(`/analytics/sessions/${VICTIM}`), status: notFound }),
  },
  'GET /analytics/sessions/{id}/score': {
    own: (o) => get(`/analytics/sessions/${o.sid}/score`),
    foreign: () => ({ req: get(`/analytics/sessions/${VICTIM}/score`), status: notFound }),
  },
  'GET /analytics/tools': { own: () => get('/analytics/tools') },
  'GET /analytics/tools/{name}': {
    own: () => get('/analytics/tools/Bash'),
    foreign: () => ({ req: get(`/analytics/tools/${FOREIGN_TOOL}`), status: notFound }),
  },
  'GET /analytics/workflows': { own: () => get('/analytics/workflows') },
  'GET /analytics/workflows/recent': { own: () => get('/analytics/workflows/recent') },
  'GET /analytics/agents': { own: () => get('/analytics/agents') },
  'GET /analytics/quality': { own: () => get('/analytics/quality') },
  'GET /analytics/cost': {
    own: () => get('/analytics/cost?group_by=session'),
    foreign: () => ({ req: get(`/analytics/cost?team=${FOREIGN_TEAM}&group_by=session`), status: [200] }),
  },
  'GET /stats/events': {
    own: () => get('/stats/events?minutes=1440'),
    foreign: () => ({ req: get(`/stats/events?minutes=1440&team=${FOREIGN_TEAM}`), status: [200] }),
  },
  'GET /stats/sessions': { own: () => get('/stats/sessions?since=4w') },
  'GET /settings': { own: () => get('/settings') },
  'POST /executions': {
    own: () => post('/executions', { hook_id: 'matrix-hook', hook_type: 'notification', event_type: 'matrix_probe', team_id: OWN_TEAM }),
    foreign: () => ({
      req: post('/executions', { hook_id: 'h', hook_type: 'notification', event_type: 'x', team_id: FOREIGN_TEAM }),
      status: [403],
    }),
  },
  'GET /executions': {
    own: () => get('/executions?limit=200'),
    foreign: () => ({ req: get(`/executions?team_id=${FOREIGN_TEAM}`), status: [200] }),
  },
  'PATCH /executions/{execution_id}': {
    own: (o) => ({ method: 'PATCH', url: `/executions/${o.executionId}`, body: { status: 'SUCCESS' } }),
    foreign: (f) => ({ req: { method: 'PATCH', url: `/executions/${f.executionId}`, body: { status: 'SUCCESS' } }, status: notFound }),
  },
  'GET /executions/{execution_id}': {
    own: (o) => get(`/executions/${o.executionId}`),
    foreign: (f) => ({ req: get(`/executions/${f.executionId}`), status: notFound }),
  },
  'GET /executions/statistics': {
    own: () => get('/executions/statistics'),
    foreign: () => ({ req: get(`/executions/statistics?team_id=${FOREIGN_TEAM}`), status: [200] }),
  },
  'POST /executions/cleanup': { own: () => post('/executions/cleanup?days=36500') },
  'GET /performance/summary': { own: () => get('/performance/summary?hook_id=own-hook') },
  'GET /performance/metrics': {
    own: () => get('/performance/metrics'),
    foreign: () => ({ req: get(`/performance/metrics?team_id=${FOREIGN_TEAM}`), status: [200] }),
  },
  'POST /performance/aggregate': { own: () => post('/performance/aggregate') },
  'GET /teams': { own: () => get('/teams') },
  'GET /teams/{team_id}/configuration': {
    own: () => get(`/teams/${OWN_TEAM}/configuration`),
    foreign: () => ({ req: get(`/teams/${FOREIGN_TEAM}/configuration`), status: [403] }),
  },
  'PUT /teams/{team_id}/configuration': {
    own: () => ({ method: 'PUT', url: `/teams/${OWN_TEAM}/configuration`, body: config }),
    foreign: () => ({ req: { method: 'PUT', url: `/teams/${FOREIGN_TEAM}/configuration`, body: config }, status: [403] }),
  },
  'POST /teams/{team_id}/enable': {
    own: () => post(`/teams/${OWN_TEAM}/enable`),
    foreign: () => ({ req: post(`/teams/${FOREIGN_TEAM}/enable`), status: [403] }),
  },
  'POST /teams/{team_id}/disable': {
    own: () => post(`/teams/${OWN_TEAM}/disable`),
    foreign: () => ({ req: post(`/teams/${FOREIGN_TEAM}/disable`), status: [403] }),
  },
  'GET /channels': { own: () => get('/channels') },
  'POST /channels': {
    own: (o) => post('/channels', { channel_id: `new-${o.sid}`, kind: 'slack', url: 'http://127.0.0.1:9/services/T0/B0/x' }),
    foreign: (_f, o) => ({
      req: post('/channels', { channel_id: `f-${o.sid}`, kind: 'slack', url: 'http://127.0.0.1:9/x', team_id: FOREIGN_TEAM }),
      status: [400],
    }),
  },
  'GET /channels/{channel_id}': {
    own: (o) => get(`/channels/${channelOf(o)}`),
    foreign: () => ({ req: get(`/channels/${FOREIGN_CHANNEL}`), status: notFound }),
  },
  'PATCH /channels/{channel_id}': {
    own: (o) => ({ method: 'PATCH', url: `/channels/${channelOf(o)}`, body: { name: 'renamed' } }),
    foreign: () => ({ req: { method: 'PATCH', url: `/channels/${FOREIGN_CHANNEL}`, body: { name: 'x' } }, status: notFound }),
  },
  'DELETE /channels/{channel_id}': {
    own: (o) => ({ method: 'DELETE', url: `/channels/${channelOf(o)}` }),
    foreign: () => ({ req: { method: 'DELETE', url: `/channels/${FOREIGN_CHANNEL}` }, status: notFound }),
  },
  'POST /channels/{channel_id}/test': {
    own: (o) => post(`/channels/${channelOf(o)}/test`),
    foreign: () => ({ req: post(`/channels/${FOREIGN_CHANNEL}/test`), status: notFound }),
  },
  'POST /channels/{channel_id}/pause': {
    own: (o) => post(`/channels/${channelOf(o)}/pause`),
    foreign: () => ({ req: post(`/channels/${FOREIGN_CHANNEL}/pause`), status: notFound }),
  },
  'POST /channels/{channel_id}/resume': {
    own: (o) => post(`/channels/${channelOf(o)}/resume`),
    foreign: () => ({ req: post(`/channels/${FOREIGN_CHANNEL}/resume`), status: notFound }),
  },
  'GET /tasks': {
    own: () => get('/tasks'),
    foreign: () => ({ req: get(`/tasks?q=${FOREIGN_SECRET}`), status: [200] }),
  },
  'POST /tasks': {
    own: (o) => post('/tasks', { task_id: `new-${o.sid}`, title: 'new' }),
    foreign: (_f, o) => ({ req: post('/tasks', { task_id: `f-${o.sid}`, title: 'x', team_id: FOREIGN_TEAM }), status: [400] }),
  },
  'GET /tasks/{task_id}': {
    own: (o) => get(`/tasks/${taskOf(o)}`),
    foreign: () => ({ req: get(`/tasks/${FOREIGN_TASK}`), status: notFound }),
  },
  'PATCH /tasks/{task_id}': {
    own: (o) => ({ method: 'PATCH', url: `/tasks/${taskOf(o)}`, body: { title: 'renamed' } }),
    foreign: () => ({ req: { method: 'PATCH', url: `/tasks/${FOREIGN_TASK}`, body: { title: 'x' } }, status: notFound }),
  },
  'GET /tasks/{task_id}/relationships': {
    own: (o) => get(`/tasks/${taskOf(o)}/relationships`),
    foreign: () => ({ req: get(`/tasks/${FOREIGN_TASK}/relationships`), status: notFound }),
  },
  'POST /tasks/{task_id}/relationships': {
    own: (o) => post(`/tasks/${taskOf(o)}/relationships`, { to_task_id: otherTaskOf(o), kind: 'blocks' }),
    foreign: (_f, o) => ({
      req: post(`/tasks/${taskOf(o)}/relationships`, { to_task_id: FOREIGN_TASK, kind: 'blocks' }),
      status: notFound,
    }),
  },
  'DELETE /tasks/{task_id}/relationships/{to_task_id}/{kind}': {
    own: (o) => ({ method: 'DELETE', url: `/tasks/${taskOf(o)}/relationships/${otherTaskOf(o)}/related` }),
    foreign: (_f, o) => ({ req: { method: 'DELETE', url: `/tasks/${FOREIGN_TASK}/relationships/${taskOf(o)}/related` }, status: notFound }),
  },
  'GET /tasks/{task_id}/graph': {
    own: (o) => get(`/tasks/${taskOf(o)}/graph`),
    foreign: () => ({ req: get(`/tasks/${FOREIGN_TASK}/graph`), status: notFound }),
  },
  'GET /notifications': {
    own: () => get('/notifications'),
    foreign: () => ({ req: get(`/notifications?team_id=${FOREIGN_TEAM}`), status: [200] }),
  },
  'GET /notifications/{notification_id}': {
    own: (o) => get(`/notifications/${notificationOf(o)}`),
    foreign: () => ({ req: get(`/notifications/${FOREIGN_NOTIFICATION}`), status: notFound }),
  },
  'POST /notifications/{notification_id}/retry': {
    own: (o) => post(`/notifications/${notificationOf(o)}/retry`),
    foreign: () => ({ req: post(`/notifications/${FOREIGN_NOTIFICATION}/retry`), status: notFound }),
  },
  'POST /notifications/replay': {
    own: () => post('/notifications/replay', {}),
    foreign: () => ({ req: post('/notifications/replay', { team_id: FOREIGN_TEAM }), status: [200] }),
  },
  'GET /config': { own: () => get('/config') },
  'GET /config/{key}': { own: () => get('/config/matrix.key') },
  'PUT /config/{key}': { own: (o) => ({ method: 'PUT', url: `/config/put-${o.sid}`, body: { value: 'v' } }) },
  'DELETE /config/{key}': { own: (o) => ({ method: 'DELETE', url: `/config/${configKeyOf(o)}` }) },
  'POST /rules/test': {
    own: (o) => post('/rules/test', { event: event(o.sid) }),
    foreign: () => ({ req: post('/rules/test', { team_id: FOREIGN_TEAM, event: event(VICTIM) }), status: [403] }),
  },
  'POST /rules/preview': {
    own: (o) => post('/rules/preview', { template: '{{data.tool_name}} in {{session.project}}', event_id: o.eventId }),
    foreign: (f) => ({ req: post('/rules/preview', { template: '{{data.prompt}}', event_id: f.eventId }), status: notFound }),
  },
  'POST /tokens': {
    own: () => post('/tokens', { scopes: ['read'] }),
    foreign: () => ({ req: post('/tokens', { scopes: ['read'], team_id: FOREIGN_TEAM }), status: [403] }),
  },
  'GET /tokens': { own: () => get('/tokens') },
  'DELETE /tokens/{id}': {
    own: (o) => ({ method: 'DELETE', url: `/tokens/${o.tokenId}` }),
    foreign: (f) => ({ req: { method: 'DELETE', url: `/tokens/${f.tokenId}` }, status: notFound }),
  },
  // Sign-in checks the token in its body (the cell's own), not the header's.
  'POST /auth/session': { own: (o) => post('/auth/session', { token: o.token ?? 'hookd_no_token_at_all' }) },
  'GET /auth/session': { own: () => get('/auth/session') },
  // Signing out needs no token (an expired cookie must be clearable); without a cookie it only clears.
  'DELETE /auth/session': { open: true, own: () => ({ method: 'DELETE', url: '/auth/session' }) },
};
