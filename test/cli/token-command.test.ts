import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/test-database.ts';
import { createCliContext, lines, type CliContext } from './cli-harness.ts';

describeEachDialect('hookd token', (dialect) => {
  let cli: CliContext;
  beforeAll(async () => {
    cli = await createCliContext(dialect);
  });
  afterAll(async () => cli?.close());

  const authenticate = (token: string) => cli.withRuntime((r) => r.services.tokens.authenticate(token));

  it('creates a token, prints it once on its own line, and the printed token authenticates', async () => {
    const res = await cli.run(['token', 'create', '--scope', 'ingest,read', '--team', 'team-a', '--name', 'laptop']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^hookd_[A-Za-z0-9_-]{43}\n$/);
    expect(res.stderr).toMatch(/will not be shown again/);
    const token = res.stdout.trim();
    const principal = await authenticate(token);
    expect(principal).not.toBeNull();
    expect([...principal!.scopes].sort()).toEqual(['ingest', 'read']);
    expect(principal!.teamId).toBe('team-a');
    expect(principal!.sessionId).toBeNull();
    expect(await authenticate(`${token}x`)).toBeNull();
  });

  it('prints the record with the token as JSON under --json', async () => {
    const res = await cli.run(['token', 'create', '--scope', 'admin', '--session', 'sess-1', '--json']);
    expect(res.code).toBe(0);
    const created = JSON.parse(res.stdout);
    expect(created).toEqual({
      id: expect.stringMatching(/^tok_[0-9a-f]{12}$/),
      name: null,
      scopes: ['admin'],
      team_id: null,
      session_id: 'sess-1',
      created_at: expect.any(String),
      revoked_at: null,
      token: expect.stringMatching(/^hookd_/),
    });
    expect((await authenticate(created.token))?.sessionId).toBe('sess-1');
  });

  it('lists tokens as a table and as JSON, never with a secret or its hash', async () => {
    const created = JSON.parse((await cli.run(['token', 'create', '--scope', 'read', '--name', 'listed', '--json'])).stdout);
    const hash = createHash('sha256').update(created.token).digest('hex');

    const json = await cli.run(['token', 'list', '--json']);
    expect(json.code).toBe(0);
    const items = JSON.parse(json.stdout).items;
    expect(items.length).toBeGreaterThanOrEqual(3);
    const listed = items.find((t: { id: string }) => t.id === created.id);
    expect(listed).toEqual({ ...created, token: undefined });
    expect(Object.keys(listed).sort()).toEqual(['created_at', 'id', 'name', 'revoked_at', 'scopes', 'session_id', 'team_id']);
    expect(json.stdout).not.toContain(hash);
    expect(json.stdout).not.toContain(created.token);

    const table = await cli.run(['token', 'list']);
    expect(table.code).toBe(0);
    const [header, ...rows] = lines(table.stdout);
    expect(header!.split(/\s{2,}/)).toEqual(['ID', 'NAME', 'SCOPES', 'TEAM', 'SESSION', 'CREATED', 'REVOKED']);
    expect(rows.find((row) => row.startsWith(created.id))).toMatch(/listed\s+read\s+/);
    expect(table.stdout).not.toContain(hash);
  });

  it('revokes a token so it stops authenticating, and shows when', async () => {
    const created = JSON.parse((await cli.run(['token', 'create', '--scope', 'ingest', '--json'])).stdout);
    expect(await authenticate(created.token)).not.toBeNull();

    const res = await cli.run(['token', 'revoke', created.id]);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(`revoked ${created.id}\n`);
    expect(await authenticate(created.token)).toBeNull();
    const listed = JSON.parse((await cli.run(['token', 'list', '--json'])).stdout).items.find((t: { id: string }) => t.id === created.id);
    expect(Date.parse(listed.revoked_at)).toBeGreaterThanOrEqual(Date.parse(listed.created_at));

    const again = await cli.run(['token', 'revoke', created.id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`hookd: no active token with id ${created.id}\n`);
  });

  it('exits 1 with a clear message for an unknown id, a bad scope or a missing --scope', async () => {
    const unknown = await cli.run(['token', 'revoke', 'tok_000000000000']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no active token with id tok_000000000000');

    const badScope = await cli.run(['token', 'create', '--scope', 'read,root']);
    expect(badScope.code).toBe(1);
    expect(badScope.stderr).toContain('unknown: root');
    expect(badScope.stdout).toBe('');

    const missing = await cli.run(['token', 'create']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("required option '--scope <scopes>' not specified");
  });
});
