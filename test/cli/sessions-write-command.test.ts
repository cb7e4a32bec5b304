import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/test-database.ts';
import { createCliContext, type CliContext } from './cli-harness.ts';

describeEachDialect('hookd sessions end / delete', (dialect) => {
  let cli: CliContext;
  beforeAll(async () => {
    cli = await createCliContext(dialect);
    await cli.withRuntime(async ({ services }) => {
      const e = (session: string, type: string, data: Record<string, unknown> = {}) => ({
        session_id: session,
        event_type: type,
        source: 'claude-code',
        data,
      });
      await services.ingest.ingestBatch([
        e('cli-end', 'session_started'),
        e('cli-del', 'session_started'),
        e('cli-del', 'tool_execution_started', { tool_name: 'Read', tool_use_id: 'r1' }),
      ]);
    });
  });
  afterAll(async () => cli?.close());

  it('ends a session through the same operation as the API, recorded as an event', async () => {
    const ended = await cli.run(['sessions', 'end', 'cli-end', '--reason', 'done']);
    expect(ended.code).toBe(0);
    expect(ended.stdout).toMatch(/^ended cli-end \(done\) at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\n$/);
    const shown = JSON.parse((await cli.run(['sessions', 'show', 'cli-end', '--json'])).stdout);
    expect(shown).toMatchObject({ status: 'ended', end_reason: 'done', source: 'claude-code', events: 2 });
    expect(shown.recent_events[0]).toMatchObject({ event_type: 'session_ended', source: 'api', data: { reason: 'done' } });
    const json = JSON.parse((await cli.run(['sessions', 'end', 'cli-end', '--json'])).stdout);
    expect(json).toMatchObject({ session_id: 'cli-end', end_reason: 'cli' });
    const missing = await cli.run(['sessions', 'end', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('hookd: session nope not found\n');
  });

  it('deletes a session with its tool uses and events', async () => {
    const deleted = await cli.run(['sessions', 'delete', 'cli-del']);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toBe('deleted cli-del with its tool uses and events\n');
    expect((await cli.run(['sessions', 'show', 'cli-del'])).code).toBe(1);
    expect(JSON.parse((await cli.run(['events', '--session', 'cli-del', '--json'])).stdout).items).toEqual([]);
    const again = await cli.run(['sessions', 'delete', 'cli-del']);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('hookd: session cli-del not found\n');
    expect(JSON.parse((await cli.run(['sessions', '--json'])).stdout).items.map((s: { session_id: string }) => s.session_id)).toEqual([
      'cli-end',
    ]);
  });
});
