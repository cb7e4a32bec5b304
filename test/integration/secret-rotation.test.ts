import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { channelSealedHolder } from '../../src/modules/channels/channel-service.ts';
import { newWebhookSecret } from '../../src/modules/channels/webhook-payload.ts';
import { configSealedHolder } from '../../src/modules/config/config-service.ts';
import { SecretRotationService } from '../../src/modules/config/secret-rotation.ts';
import { CLI_PRINCIPAL } from '../../src/modules/tokens/token-service.ts';
import { openRuntime, type Runtime } from '../../src/runtime/runtime.ts';
import { startReceiver, type Receiver, type WebhookReceiver } from '../support/receivers.ts';
import { createTestApp, recordingLog, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

const key = (id: string, fill: number) => `${id}:${Buffer.alloc(32, fill).toString('base64')}`;
const K1 = key('k1', 1);
const K2 = key('k2', 2);
const K3 = key('k3', 3);
const SLACK_PATH = '/services/T0ROTATE/B0ROTATE/XXXXrotatesecretXXXX';
const CONFIG_SECRET = 'xoxb-config-secret-value-for-rotation';

describeEachDialect('secret rotation', (dialect) => {
  let t: TestApp;
  let slack: Receiver;
  let hook: WebhookReceiver;
  const webhookSecret = newWebhookSecret();
  const log = recordingLog();
  /** Every runtime opened on the test's database, closed at the end. */
  const opened: Runtime[] = [];
  const reopen = async (ring: string): Promise<Runtime> => {
    const config = loadConfig({
      HOOKD_HOME: '/nonexistent-hookd-home',
      HOOKD_SECRET_KEY: ring,
      HOOKD_NOTIFY_ALLOW_PRIVATE: 'true',
      HOOKD_DATABASE_URL: t.url,
    });
    const runtime = await openRuntime(config, { serverThreads: false, log });
    opened.push(runtime);
    return runtime;
  };
  const slackUrl = () => `${slack.url.replace(/\/$/, '')}${SLACK_PATH}`;
  const hookUrl = () => `${hook.url.replace(/\/$/, '')}/in`;
  /** Every sealed value as stored, by record. */
  const storedValues = async (runtime: Runtime) => {
    const { stores } = runtime.services;
    const values: Record<string, string> = {};
    for (const holder of [configSealedHolder(stores.config), channelSealedHolder(stores.channels)]) {
      for (const v of await holder.list()) values[`${holder.name} ${v.id} ${v.field}`] = v.sealed;
    }
    return values;
  };
  /** The channels open (URL and secret in the clear) and the config secret read, through the services. */
  const readEverything = async (runtime: Runtime) => {
    const { services } = runtime;
    const open = async (id: string) => services.channels.open((await services.stores.channels.get(id, { teamId: null }))!);
    expect(await open('ops-slack')).toMatchObject({ url: slackUrl(), secret: null });
    expect(await open('audit-hook')).toMatchObject({ url: hookUrl(), secret: webhookSecret });
    expect(await services.configEntries.value('slack_token')).toBe(CONFIG_SECRET);
    expect(await services.configEntries.value('dashboard.title')).toBe('Ops');
  };

  beforeAll(async () => {
    slack = await startReceiver({ kind: 'slack' });
    hook = await startReceiver({ kind: 'webhook', secret: webhookSecret });
    t = await createTestApp(dialect, { HOOKD_SECRET_KEY: K1, HOOKD_NOTIFY_ALLOW_PRIVATE: 'true' });
    const { channels, configEntries } = t.runtime.services;
    await channels.create({ channel_id: 'ops-slack', kind: 'slack', url: slackUrl() }, CLI_PRINCIPAL);
    await channels.create(
      { channel_id: 'audit-hook', kind: 'webhook', url: hookUrl(), secret: webhookSecret, team_id: 'eng' },
      CLI_PRINCIPAL,
    );
    await configEntries.set('slack_token', { value: CONFIG_SECRET, secret: true }, CLI_PRINCIPAL);
    await configEntries.set('dashboard.title', { value: 'Ops' }, CLI_PRINCIPAL);
  });
  afterAll(async () => {
    for (const runtime of opened.reverse()) await runtime.services.close();
    await t?.close();
    await slack?.close();
    await hook?.close();
  });

  it('re-seals every secret under the new current key, bound to its record, and says the old key id is unused', async () => {
    const before = await storedValues(t.runtime);
    expect(Object.keys(before).sort()).toEqual([
      'channels audit-hook secret_sealed',
      'channels audit-hook url_sealed',
      'channels ops-slack url_sealed',
      'config slack_token value',
    ]);
    for (const sealed of Object.values(before)) expect(sealed).toMatch(/^hks1:k1:/);

    const rotated = await reopen(`${K2},${K1}`);
    const { secretRotation } = rotated.services;
    expect(await secretRotation.status()).toEqual({
      current_key_id: 'k2',
      key_ring: ['k2', 'k1'],
      sealed_by: [{ key_id: 'k1', values: 4, in_key_ring: true }],
      malformed: 0,
      unused_key_ids: [],
      current_key_check: 'missing',
    });

    const report = await secretRotation.rotate(CLI_PRINCIPAL);
    expect(report).toEqual({
      current_key_id: 'k2',
      key_ring: ['k2', 'k1'],
      sealed_by: [{ key_id: 'k2', values: 4, in_key_ring: true }],
      malformed: 0,
      unused_key_ids: ['k1'],
      current_key_check: 'recorded',
      resealed: [{ key_id: 'k1', values: 4 }],
      already_current: 0,
      changed: [],
      unreadable: [],
    });
    const after = await storedValues(rotated);
    for (const [record, sealed] of Object.entries(after)) {
      expect(sealed, record).toMatch(/^hks1:k2:/);
      expect(sealed).not.toBe(before[record]);
    }
    await readEverything(rotated);
    // Still deliverable: a real message through the re-sealed URL, signed with the re-sealed secret.
    expect(await rotated.services.channels.test('audit-hook', CLI_PRINCIPAL)).toMatchObject({ delivered: true });
    expect(hook.requests.at(-1)!.verified).toBe(true);
    expect(await rotated.services.channels.test('ops-slack', CLI_PRINCIPAL)).toMatchObject({ delivered: true });
    expect(slack.requests.at(-1)!.path).toBe(SLACK_PATH);

    // Bound to its record still: a value moved to another record does not open there.
    expect(() => rotated.services.sealer.open(after['channels ops-slack url_sealed']!, 'channel:audit-hook:url')).toThrow(
      /could not be decrypted/,
    );

    const audit = log.lines.filter((l) => l.message === 'audit').map((l) => l.fields.audit);
    expect(audit).toContainEqual({ actor: 'cli', action: 'secrets.rotate', target: 'k2', team: null, session: null });
    const everything = JSON.stringify([log.lines, report]);
    for (const secret of ['rotatesecret', CONFIG_SECRET, webhookSecret]) expect(everything).not.toContain(secret);

    // Again: nothing to do.
    expect(await secretRotation.rotate(CLI_PRINCIPAL)).toMatchObject({ resealed: [], already_current: 4, unused_key_ids: ['k1'] });
  });

  it('reads everything with a ring of only the new key', async () => {
    const alone = await reopen(K2);
    await alone.services.sealer.check();
    await readEverything(alone);
    expect(await alone.services.secretRotation.status()).toMatchObject({
      key_ring: ['k2'],
      sealed_by: [{ key_id: 'k2', values: 4, in_key_ring: true }],
      unused_key_ids: [],
      current_key_check: 'recorded',
    });
  });

  it('records the key check of a new current key even with nothing to re-seal', async () => {
    const empty = await createTestApp(dialect, { HOOKD_SECRET_KEY: K3 });
    try {
      const rotation = empty.runtime.services.secretRotation;
      expect(await rotation.status()).toMatchObject({ sealed_by: [], current_key_check: 'missing' });
      expect(await rotation.rotate(CLI_PRINCIPAL)).toMatchObject({ resealed: [], already_current: 0, current_key_check: 'recorded' });
      expect(await empty.runtime.services.stores.secretKeyChecks.list()).toEqual([{ keyId: 'k3', check: expect.any(String) }]);
    } finally {
      await empty.close();
    }
  });

  it('reports a value it cannot open by its record, without its content, and re-seals the rest', async () => {
    const runtime = await reopen(`${K3},${K2}`);
    const { services } = runtime;
    const { stores } = services;
    const k2Value = (await storedValues(runtime))['config slack_token value']!;
    // Altered: one character of the ciphertext; of a key no longer in the ring; not a sealed value at all.
    const last = k2Value.at(-2) === 'A' ? 'B' : 'A';
    const altered = `${k2Value.slice(0, -2)}${last}${k2Value.at(-1)}`;
    const now = Date.now();
    const entry = { secret: true, hint: '***', updatedAt: now, updatedBy: 'test' };
    await stores.config.put({ key: 'altered', value: altered, ...entry });
    await stores.config.put({ key: 'old-key', value: `hks1:k0:${k2Value.split(':').slice(2).join(':')}`, ...entry });
    await services.channels.create({ channel_id: 'broken', kind: 'slack', url: slackUrl() }, CLI_PRINCIPAL);
    const broken = (await stores.channels.get('broken', { teamId: null }))!;
    expect(await stores.channels.replaceSealed('broken', 'url_sealed', broken.urlSealed, 'not a sealed value')).toBe(true);

    const report = await services.secretRotation.rotate(CLI_PRINCIPAL);
    expect(report.unreadable).toEqual([
      {
        holder: 'config',
        id: 'altered',
        field: 'value',
        key_id: 'k2',
        reason: 'authentication',
        message: expect.stringContaining("could not be decrypted with key 'k2'"),
      },
      {
        holder: 'config',
        id: 'old-key',
        field: 'value',
        key_id: 'k0',
        reason: 'unknown_key',
        message: expect.stringContaining("encrypted with key 'k0'"),
      },
      { holder: 'channels', id: 'broken', field: 'url_sealed', key_id: null, reason: 'malformed', message: expect.any(String) },
    ]);
    expect(report.resealed).toEqual([{ key_id: 'k2', values: 4 }]);
    expect(report.sealed_by).toEqual([
      { key_id: 'k0', values: 1, in_key_ring: false },
      { key_id: 'k2', values: 1, in_key_ring: true },
      { key_id: 'k3', values: 4, in_key_ring: true },
    ]);
    expect(report).toMatchObject({ malformed: 1, unused_key_ids: [] });
    expect(JSON.stringify(report)).not.toContain(altered);
    expect(JSON.stringify(report)).not.toContain('not a sealed value');
    // Left as they were.
    expect((await stores.config.get('altered'))!.value).toBe(altered);
    await readEverything(runtime);

    await services.configEntries.delete('altered', CLI_PRINCIPAL);
    await services.configEntries.delete('old-key', CLI_PRINCIPAL);
    await services.channels.remove('broken', CLI_PRINCIPAL);
  });

  it('never overwrites a value changed while it rotates', async () => {
    const runtime = await reopen(`${key('k4', 4)},${K3}`);
    const { services } = runtime;
    const channels = channelSealedHolder(services.stores.channels);
    const newUrl = `${slack.url.replace(/\/$/, '')}/services/T9CHANGED/B9/C9`;
    let changedOnce = false;
    // Another admin changes the channel's URL between the rotation's read and its write.
    const racing = {
      ...channels,
      async replace(id: string, field: string, oldSealed: string, newSealed: string) {
        if (id === 'ops-slack' && field === 'url_sealed' && !changedOnce) {
          changedOnce = true;
          await services.channels.update('ops-slack', { url: newUrl }, CLI_PRINCIPAL);
        }
        return channels.replace(id, field, oldSealed, newSealed);
      },
    };
    const rotation = new SecretRotationService(services.sealer, [configSealedHolder(services.stores.config), racing]);
    const report = await rotation.rotate(CLI_PRINCIPAL);
    expect(report.changed).toEqual([{ holder: 'channels', id: 'ops-slack', field: 'url_sealed' }]);
    expect(report.resealed).toEqual([{ key_id: 'k3', values: 3 }]);
    // The change sealed under the current key too, so nothing seals under k3 any more.
    expect(report).toMatchObject({ sealed_by: [{ key_id: 'k4', values: 4 }], unused_key_ids: ['k3'] });
    const stored = (await services.stores.channels.get('ops-slack', { teamId: null }))!;
    expect(services.channels.open(stored).url).toBe(newUrl);
    // A stale compare-and-set changes nothing.
    expect(await channels.replace('ops-slack', 'url_sealed', 'stale', 'other')).toBe(false);
    expect(await configSealedHolder(services.stores.config).replace('slack_token', 'value', 'stale', 'other')).toBe(false);
    expect(await services.configEntries.value('slack_token')).toBe(CONFIG_SECRET);
  });
});
