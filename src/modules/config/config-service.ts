import { NotFoundError, ValidationError } from '../../core/app-error.ts';
import { writeAudit, SILENT_LOG, type ServiceLog } from '../../core/audit-log.ts';
import type { Principal } from '../../core/principal.ts';
import { redactSecret } from '../../core/redact-secret.ts';
import type { ConfigEntry, ConfigStore } from './config-entry.ts';
import { CONFIG_KEY_PATTERN, MAX_CONFIG_VALUE_LENGTH } from './config-schemas.ts';
import type { Sealer } from './sealer.ts';
import type { SealedHolder } from './secret-rotation.ts';

export interface ConfigView {
  key: string;
  value: string;
  secret: boolean;
  updated_at: string;
  updated_by: string;
}

const KEY = new RegExp(CONFIG_KEY_PATTERN);
const aadOf = (key: string) => `config:${key}`;

/**
 * The config store (seed 003's encrypted config): installation-wide key -> value. A value
 * marked secret is sealed at rest and only ever shown redacted; hookd itself reads the
 * plaintext through value(). Each change writes an `audit` line.
 */
export class ConfigService {
  private readonly store: ConfigStore;
  private readonly sealer: Sealer;
  private readonly log: ServiceLog;
  private readonly now: () => number;

  constructor(store: ConfigStore, sealer: Sealer, log: ServiceLog = SILENT_LOG, now: () => number = Date.now) {
    this.store = store;
    this.sealer = sealer;
    this.log = log;
    this.now = now;
  }

  async list(): Promise<{ items: ConfigView[] }> {
    return { items: (await this.store.list()).map(view) };
  }

  async get(key: string): Promise<ConfigView> {
    return view(await this.entry(key));
  }

  /** The plaintext, or `fallback` when the key is not set: for hookd's own use, never a reply. */
  async value(key: string, fallback: string | null = null): Promise<string | null> {
    const entry = await this.store.get(key);
    if (!entry) return fallback;
    return entry.secret ? this.sealer.open(entry.value, aadOf(key)) : entry.value;
  }

  async set(key: string, input: { value: string; secret?: boolean }, actor: Principal): Promise<ConfigView> {
    checkKey(key);
    if (typeof input.value !== 'string' || input.value.length > MAX_CONFIG_VALUE_LENGTH) {
      throw new ValidationError([{ field: 'value', message: `must be text of at most ${MAX_CONFIG_VALUE_LENGTH} characters` }]);
    }
    if (input.value.includes('\u0000')) throw new ValidationError([{ field: 'value', message: 'must not contain NUL characters' }]);
    const secret = input.secret === true;
    const value = secret ? await this.sealer.seal(input.value, aadOf(key)) : input.value;
    const hint = secret ? redactSecret(input.value) : null;
    const entry: ConfigEntry = { key, value, secret, hint, updatedAt: this.now(), updatedBy: actor.actor };
    await this.store.put(entry);
    this.audit(actor, 'config.set', key);
    return view(entry);
  }

  async delete(key: string, actor: Principal): Promise<void> {
    checkKey(key);
    if (!(await this.store.delete(key))) throw notFound(key);
    this.audit(actor, 'config.delete', key);
  }

  private async entry(key: string): Promise<ConfigEntry> {
    checkKey(key);
    const entry = await this.store.get(key);
    if (!entry) throw notFound(key);
    return entry;
  }

  private audit(actor: Principal, action: string, target: string): void {
    writeAudit(this.log, { actor: actor.actor, action, target, team: actor.teamId, session: actor.sessionId });
  }
}

/** The config store's secret values, for rotation: field `value`, bound to `config:<key>`. */
export function configSealedHolder(store: ConfigStore): SealedHolder {
  return {
    name: 'config',
    async list() {
      return (await store.list()).filter((e) => e.secret).map((e) => ({ id: e.key, field: 'value', aad: aadOf(e.key), sealed: e.value }));
    },
    async replace(id, field, oldSealed, newSealed) {
      if (field !== 'value') throw new Error(`config entries hold no sealed field "${field}"`);
      return store.replaceSealed(id, oldSealed, newSealed);
    },
  };
}

function checkKey(key: string): void {
  if (!KEY.test(key)) {
    throw new ValidationError([{ field: 'key', message: 'must be 1-128 of A-Z a-z 0-9 _ . : -, starting with a letter or digit' }]);
  }
}

const notFound = (key: string) => new NotFoundError(`config key "${key}" is not set`, 'config_not_found');

function view(entry: ConfigEntry): ConfigView {
  return {
    key: entry.key,
    value: entry.secret ? (entry.hint ?? '***') : entry.value,
    secret: entry.secret,
    updated_at: new Date(entry.updatedAt).toISOString(),
    updated_by: entry.updatedBy,
  };
}
