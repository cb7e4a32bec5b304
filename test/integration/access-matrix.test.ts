import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLI_PRINCIPAL } from '../../src/modules/tokens/token-service.ts';
import { createTestApp, JSON_HEADERS, listen, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';
import {
  CASES,
  channelOf,
  configKeyOf,
  FOREIGN_CHANNEL,
  FOREIGN_TASK,
  otherTaskOf,
  taskOf,
  FOREIGN_NOTIFICATION,
  notificationOf,
  FOREIGN_SECRET,
  FOREIGN_TEAM,
  FOREIGN_TOOL,
  get,
  OWN_TEAM,
  post,
  SIBLING,
  SIBLING_SECRET,
  VICTIM,
  type Case,
  type Foreign,
  type Own,
  type Req,
} from './access-cases.ts';

/**
 * Every route x {no token, ingest, read, admin} x {unbound, team-bound, session-bound}, with
 * two teams' data present: each answer is the one docs/access.md gives, a bound token's
 * replies never show another team's (or, session-bound, another session's) ids or data,
 * and where a bound token is served, the same request aimed at another team's data is
 * refused or comes back empty. A route missing from the table or from CASES fails.
 */

const SCOPES = ['ingest', 'read', 'admin'] as const;
const BINDINGS = ['unbound', 'team', 'session'] as const;
type Scope = (typeof SCOPES)[number];
type Binding = (typeof BINDINGS)[number];

const COLUMNS = ['no token', ...SCOPES.flatMap((s) => BINDINGS.map((b) => `${s}: ${b}`))];

/** The table in docs/access.md: route -> the cells in COLUMNS order. */
function documentedTable(): Map<string, string[]> {
  const text = readFileSync(new URL('../../docs/access.md', import.meta.url), 'utf8');
  const rows = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const match = /^\| `([A-Z]+ \/[^`]*)` \|(.*)\|\s*$/.exec(line);
    if (!match) continue;
    rows.set(
      match[1]!,
      match[2]!.split('|').map((c) => c.trim()),
    );
  }
  return rows;
}

/** What a cell says, from what came back: the binding the reply was narrowed to, or the refusal. */
function cellOf(status: number, binding: Binding | null): string {
  if (status === 401 || status === 403) return String(status);
  if (status >= 200 && status < 300) return binding === null ? 'open' : binding === 'unbound' ? 'all' : binding;
  return `unexpected ${status}`;
}

describeEachDialect('access matrix', (dialect) => {
  let t: TestApp;
  let base: string;
  let admin: string;
  let foreign: Foreign;
  let serial = 0;
  const auth = (token: string | null) => (token ? { authorization: `Bearer ${token}` } : {});

  beforeAll(async () => {
    // A secret key, so that POST /auth/session signs in rather than answering secret_key_required.
    // Private addresses allowed: channel tests aim at a closed loopback port, never elsewhere.
    t = await createTestApp(dialect, { HOOKD_SECRET_KEY: 'access-matrix-secret-key-0123456789abcdef', HOOKD_NOTIFY_ALLOW_PRIVATE: 'true' });
    base = await listen(t);
    admin = (await t.runtime.services.tokens.create({ scopes: ['admin'], name: 'matrix-owner' })).token;
    await seedSession(VICTIM, FOREIGN_TEAM, FOREIGN_SECRET, FOREIGN_TOOL);
    await seedSession(SIBLING, OWN_TEAM, SIBLING_SECRET, 'Bash');
    const victimEvent = await send({ method: 'GET', url: `/events?session_id=${VICTIM}&limit=1` }, admin);
    const execution = await t.runtime.services.executions.create({
      hook_id: 'victim-hook',
      hook_type: 'notification',
      event_type: 'x',
      team_id: FOREIGN_TEAM,
      metadata: { note: FOREIGN_SECRET },
    });
    const token = await t.runtime.services.tokens.create({ scopes: ['read'], teamId: FOREIGN_TEAM, name: FOREIGN_SECRET });
    await send(
      { method: 'PUT', url: `/teams/${FOREIGN_TEAM}/configuration`, body: { configuration: { team_name: FOREIGN_SECRET, rules: [] } } },
      admin,
    );
    await t.runtime.services.channels.create(
      {
        channel_id: FOREIGN_CHANNEL,
        kind: 'slack',
        url: 'http://127.0.0.1:9/services/T0/B0/x',
        name: FOREIGN_SECRET,
        team_id: FOREIGN_TEAM,
      },
      CLI_PRINCIPAL,
    );
    await t.runtime.services.configEntries.set('matrix.key', { value: 'matrix' }, CLI_PRINCIPAL);
    await t.runtime.services.tasks.create({ task_id: FOREIGN_TASK, title: FOREIGN_SECRET, team_id: FOREIGN_TEAM }, CLI_PRINCIPAL);
    await deadNotification(FOREIGN_NOTIFICATION, FOREIGN_TEAM, VICTIM, FOREIGN_CHANNEL, FOREIGN_SECRET);
    foreign = { eventId: JSON.parse(victimEvent.body).items[0].event_id, executionId: execution.execution_id, tokenId: token.record.id };
  }, 60_000);
  afterAll(async () => t?.close());

  async function seedSession(sid: string, team: string, secret: string, tool: string): Promise<void> {
    const toolUseId = `${sid}-call`;
    const res = await send(
      post('/events/batch', [
        {
          event_type: 'session_started',
          session_id: sid,
          team_id: team,
          data: { hook_event_name: 'SessionStart', cwd: `/home/${secret}` },
        },
        { event_type: 'prompt_submitted', session_id: sid, team_id: team, data: { hook_event_name: 'UserPromptSubmit', prompt: secret } },
        {
          event_type: 'tool_execution_started',
          session_id: sid,
          team_id: team,
          data: { hook_event_name: 'PreToolUse', tool_name: tool, tool_use_id: toolUseId, tool_input: { command: secret } },
        },
        {
          event_type: 'tool_execution_completed',
          session_id: sid,
          team_id: team,
          data: { hook_event_name: 'PostToolUse', tool_name: tool, tool_use_id: toolUseId, tool_response: {} },
        },
      ]),
      admin,
    );
    expect(res.status).toBe(202);
  }

  /** A dead notification in the outbox, as a rules pass and a refusing receiver would leave it. */
  async function deadNotification(id: string, team: string, sid: string, channel: string, text: string): Promise<void> {
    const now = Date.now();
    const { insertNotifications } = await import('../../src/modules/notifications/notification-store-postgres.ts');
    const { prepareNotificationInsert } = await import('../../src/modules/notifications/notification-store-sqlite.ts');
    const n = {
      notificationId: id,
      executionId: null,
      teamId: team,
      sessionId: sid,
      eventId: null,
      eventType: 'matrix_probe',
      channelId: channel,
      kind: 'rule' as const,
      priority: 'normal' as const,
      message: {
        kind: 'rule' as const,
        priority: 'normal' as const,
        title: text,
        text,
        fields: [],
        context: {
          session_id: sid,
          event_id: null,
          event_type: null,
          team_id: team,
          rule_id: null,
          project: null,
          timestamp: new Date(now).toISOString(),
        },
      },
      eventAt: now,
      createdAt: now,
      expiresAt: now + 3_600_000,
      status: 'new' as const,
      error: null,
    };
    const db = t.runtime.db!;
    if (db.kind === 'sqlite') prepareNotificationInsert(db.sqlite)(n);
    else await insertNotifications(db.pool, [n]);
    await t.runtime.services.stores.notifications.expire(now + 7_200_000);
  }

  async function send(req: Req, token: string | null): Promise<{ status: number; body: string }> {
    if (req.url.startsWith('/events/stream')) return stream(req.url, token);
    const res = await t.app.inject({
      method: req.method,
      url: req.url,
      headers: { ...auth(token), ...(req.body === undefined ? {} : JSON_HEADERS) },
      ...(req.body === undefined ? {} : { payload: JSON.stringify(req.body) }),
    });
    return { status: res.statusCode, body: res.body };
  }

  /** The live tail over real HTTP: its status, and what it sent in its first 300 ms (the backlog). */
  async function stream(url: string, token: string | null): Promise<{ status: number; body: string }> {
    const controller = new AbortController();
    const res = await fetch(`${base}${url}`, { headers: auth(token), signal: controller.signal });
    if (res.status !== 200) return { status: res.status, body: await res.text() };
    const reader = res.body!.getReader();
    let body = '';
    const timer = setTimeout(() => controller.abort(), 300);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        body += Buffer.from(value).toString();
      }
    } catch {
      // Aborted: the stream never ends by itself.
    } finally {
      clearTimeout(timer);
    }
    return { status: 200, body };
  }

  /** A fresh session of the own team (events with a tool call), an execution and a token to act on. */
  async function prepare(c: Case): Promise<Own> {
    const sid = `own-${dialect}-${++serial}`;
    if (!c.noSession) await seedSession(sid, OWN_TEAM, 'own-data', 'Bash');
    const events = c.noSession ? null : JSON.parse((await send(get(`/events?session_id=${sid}&limit=1`), admin)).body);
    const execution = await t.runtime.services.executions.create({
      hook_id: 'own-hook',
      hook_type: 'notification',
      event_type: 'x',
      team_id: OWN_TEAM,
    });
    const token = await t.runtime.services.tokens.create({ scopes: ['read'], teamId: OWN_TEAM });
    const ids = { sid };
    await t.runtime.services.channels.create(
      { channel_id: channelOf(ids), kind: 'slack', url: 'http://127.0.0.1:9/services/T0/B0/x', team_id: OWN_TEAM },
      CLI_PRINCIPAL,
    );
    await t.runtime.services.configEntries.set(configKeyOf(ids), { value: 'v' }, CLI_PRINCIPAL);
    await t.runtime.services.tasks.create({ task_id: taskOf(ids), title: 'own-data', team_id: OWN_TEAM }, CLI_PRINCIPAL);
    await t.runtime.services.tasks.create({ task_id: otherTaskOf(ids), title: 'own-data', team_id: OWN_TEAM }, CLI_PRINCIPAL);
    await t.runtime.services.tasks.link(taskOf(ids), { to_task_id: otherTaskOf(ids), kind: 'related' }, CLI_PRINCIPAL);
    await deadNotification(notificationOf(ids), OWN_TEAM, sid, channelOf(ids), 'own-data');
    return { sid, eventId: events?.items[0]?.event_id ?? 'none', executionId: execution.execution_id, tokenId: token.record.id };
  }

  async function tokenFor(scope: Scope, binding: Binding, sid: string): Promise<string> {
    const teamId = binding === 'unbound' ? null : OWN_TEAM;
    const sessionId = binding === 'session' ? sid : null;
    return (await t.runtime.services.tokens.create({ scopes: [scope], teamId, sessionId })).token;
  }

  /** Ids and data a reply to this binding must never hold. */
  function forbidden(binding: Binding): string[] {
    const never = [FOREIGN_TEAM, VICTIM, FOREIGN_SECRET, FOREIGN_TOOL, foreign.executionId, foreign.tokenId, foreign.eventId];
    return binding === 'session' ? [...never, SIBLING, SIBLING_SECRET] : binding === 'team' ? never : [];
  }

  it('answers every route as docs/access.md says, and a bound token never sees past its binding', async () => {
    const documented = documentedTable();
    const openapi = JSON.parse((await send(get('/openapi.json'), admin)).body) as { paths: Record<string, Record<string, unknown>> };
    const routes = [
      'GET /openapi.json',
      ...Object.entries(openapi.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)),
    ];
    expect(
      routes.filter((r) => !CASES[r]),
      'routes without a case in this test',
    ).toEqual([]);

    const observed = new Map<string, string[]>();
    const problems: string[] = [];
    let requests = 0;
    for (const route of routes) {
      const c = CASES[route]!;
      const cells: string[] = [];
      const own = await prepare(c);
      const anonymous = await send(c.own({ ...own, token: null }), null);
      requests++;
      cells.push(anonymous.status >= 200 && anonymous.status < 300 ? 'open' : String(anonymous.status));
      for (const scope of SCOPES) {
        for (const binding of BINDINGS) {
          const o = await prepare(c);
          const token = await tokenFor(scope, binding, o.sid);
          const reply = await send(c.own({ ...o, token }), token);
          requests++;
          const isOpen = route.startsWith('GET /health') || c.open === true;
          cells.push(cellOf(reply.status, isOpen ? null : binding));
          for (const marker of forbidden(binding)) {
            if (reply.body.includes(marker)) problems.push(`${route} as ${scope}/${binding}: reply holds ${marker}`);
          }
          const served = reply.status >= 200 && reply.status < 300;
          if (served && binding !== 'unbound' && c.foreign) {
            const { req, status } = c.foreign(foreign, o);
            const refused = await send(req, token);
            requests++;
            if (!status.includes(refused.status))
              problems.push(`${route} as ${scope}/${binding} aimed at foreign data: ${refused.status}, expected ${status.join(' or ')}`);
            for (const marker of [FOREIGN_SECRET, ...(binding === 'session' ? [SIBLING_SECRET] : [])]) {
              if (refused.body.includes(marker))
                problems.push(`${route} as ${scope}/${binding} aimed at foreign data: reply holds ${marker}`);
            }
          }
        }
      }
      observed.set(route, cells);
    }

    const table = [
      `| route | ${COLUMNS.join(' | ')} |`,
      `|---|${COLUMNS.map(() => '---').join('|')}|`,
      ...routes.map((r) => `| \`${r}\` | ${observed.get(r)!.join(' | ')} |`),
    ].join('\n');
    expect(
      routes.filter((r) => !documented.has(r)),
      `routes missing from docs/access.md; as observed:\n${table}`,
    ).toEqual([]);
    expect(
      [...documented.keys()].filter((r) => !routes.includes(r)),
      'docs/access.md rows for routes that do not exist',
    ).toEqual([]);
    const differing = routes.filter((r) => observed.get(r)!.join('|') !== documented.get(r)!.join('|'));
    expect(differing, `answers that differ from docs/access.md; as observed:\n${table}`).toEqual([]);
    expect(problems).toEqual([]);
    // Nothing aimed at the other team changed it.
    const victim = JSON.parse((await send(get(`/sessions/${VICTIM}`), admin)).body);
    expect(victim).toMatchObject({ session_id: VICTIM, team_id: FOREIGN_TEAM, prompts: 1, tool_calls: 1 });
    expect(victim.ended_at).toBeNull();
    expect(victim.model).toBeNull();
    const victimEvents = JSON.parse((await send(get(`/events?session_id=${VICTIM}`), admin)).body).items;
    expect(victimEvents.map((e: { team_id: string }) => e.team_id)).toEqual(Array(4).fill(FOREIGN_TEAM));
    const execution = JSON.parse((await send(get(`/executions/${foreign.executionId}`), admin)).body);
    expect(execution.status).toBe('RUNNING');
    const tokens = JSON.parse((await send(get('/tokens'), admin)).body).items;
    expect(tokens.find((k: { id: string }) => k.id === foreign.tokenId).revoked_at).toBeNull();
    const counts = { routes: routes.length, cells: routes.length * COLUMNS.length, requests };
    console.log(`access matrix [${dialect}]: ${JSON.stringify(counts)}`);
  }, 240_000);
});
