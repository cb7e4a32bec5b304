import { isIP } from 'node:net';
import { AppError, ConflictError, NotFoundError, ValidationError, type FieldProblem } from '../../core/app-error.ts';
import { SILENT_LOG, writeAudit, type ServiceLog } from '../../core/audit-log.ts';
import type { Principal } from '../../core/principal.ts';
import { redactSecret } from '../../core/redact-secret.ts';
import { uuidv7 } from '../../core/uuidv7.ts';
import type { Sealer } from '../config/sealer.ts';
import type { SealedHolder, SealedValue } from '../config/secret-rotation.ts';
import type { ChannelKind } from './channel-kind.ts';
import { CHANNEL_ID_PATTERN, CHANNEL_KINDS, MAX_CHANNEL_URL_LENGTH } from './channel-kind.ts';
import type { ChannelMessage } from './channel-message.ts';
import { SEALED_CHANNEL_FIELDS, type ChannelScope, type ChannelStore, type SealedChannelField, type StoredChannel } from './channel.ts';
import { deliver, type DeliveryOptions, type OpenChannel } from './channel-delivery.ts';
import { ntfyUrlHint, parseNtfyUrl } from './ntfy-payload.ts';
import { isPrivateAddress } from './private-address.ts';
import { parseSmtpUrl, smtpUrlHint } from './smtp-url.ts';
import { isWebhookSecret } from './webhook-payload.ts';

const CHANNEL_ID = new RegExp(CHANNEL_ID_PATTERN);

export interface ChannelView {
  channel_id: string;
  team_id: string | null;
  kind: ChannelKind;
  name: string | null;
  /** Redacted: scheme, host and the start of the path. */
  url: string;
  has_secret: boolean;
  paused: boolean;
  paused_reason: string | null;
  paused_at: string | null;
  failure_streak: number;
  created_at: string;
  updated_at: string;
}

export interface ChannelCreateInput {
  channel_id: string;
  kind: string;
  url: string;
  secret?: string;
  name?: string;
  team_id?: string;
}

export interface ChannelUpdateInput {
  url?: string;
  secret?: string;
  name?: string | null;
}

export interface ChannelTestResult {
  delivered: boolean;
  outcome: 'sent' | 'retry' | 'permanent';
  status_code: number | null;
  latency_ms: number;
  reason: string;
  response_excerpt: string;
}

const urlAad = (id: string) => `channel:${id}:url`;
const secretAad = (id: string) => `channel:${id}:secret`;

/**
 * Channels: where notifications go. URLs and signing secrets are sealed at rest and shown
 * redacted; a team-bound token manages its team's channels and reads the installation's.
 * Each change writes an `audit` line.
 */
export class ChannelService {
  private readonly store: ChannelStore;
  private readonly sealer: Sealer;
  private readonly delivery: DeliveryOptions;
  private readonly log: ServiceLog;
  private readonly now: () => number;

  constructor(store: ChannelStore, sealer: Sealer, delivery: DeliveryOptions, log: ServiceLog = SILENT_LOG, now: () => number = Date.now) {
    this.store = store;
    this.sealer = sealer;
    this.delivery = delivery;
    this.log = log;
    this.now = now;
  }

  async list(actor: Principal): Promise<{ items: ChannelView[] }> {
    return { items: (await this.store.list(scopeOf(actor))).map(view) };
  }

  async get(channelId: string, actor: Principal): Promise<ChannelView> {
    return view(await this.stored(channelId, scopeOf(actor)));
  }

  async create(input: ChannelCreateInput, actor: Principal): Promise<ChannelView> {
    const problems: FieldProblem[] = [];
    if (typeof input.channel_id !== 'string' || !CHANNEL_ID.test(input.channel_id))
      problems.push({ field: 'channel_id', message: 'must be 1-100 of A-Z a-z 0-9 _ . -, starting with a letter or digit' });
    const kind = input.kind as ChannelKind;
    if (!CHANNEL_KINDS.includes(kind)) problems.push({ field: 'kind', message: `must be one of ${CHANNEL_KINDS.join(', ')}` });
    problems.push(...this.urlProblems(kind, input.url));
    problems.push(...secretProblems(kind, input.secret, true));
    problems.push(...loginProblems(kind, input.url, input.secret !== undefined));
    if (actor.teamId !== null && input.team_id !== undefined && input.team_id !== actor.teamId)
      problems.push({ field: 'team_id', message: `a token bound to team "${actor.teamId}" creates channels of that team only` });
    if (problems.length > 0) throw new ValidationError(problems);

    const teamId = actor.teamId ?? input.team_id ?? null;
    const now = this.now();
    const channel: StoredChannel = {
      channelId: input.channel_id,
      teamId,
      kind,
      name: input.name ?? null,
      urlSealed: await this.sealer.seal(input.url, urlAad(input.channel_id)),
      urlHint: urlHint(kind, input.url),
      secretSealed: input.secret ? await this.sealer.seal(input.secret, secretAad(input.channel_id)) : null,
      paused: false,
      pausedReason: null,
      pausedAt: null,
      failureStreak: 0,
      createdAt: now,
      updatedAt: now,
    };
    if (!(await this.store.create(channel))) {
      throw new ConflictError('channel_exists', `channel "${input.channel_id}" exists; choose another id or remove it first`);
    }
    this.audit(actor, 'channel.create', channel.channelId);
    return view(channel);
  }

  async update(channelId: string, input: ChannelUpdateInput, actor: Principal): Promise<ChannelView> {
    const scope = scopeOf(actor);
    const current = await this.own(channelId, scope);
    const problems: FieldProblem[] = [];
    if (input.url !== undefined) problems.push(...this.urlProblems(current.kind, input.url));
    if (input.secret !== undefined) problems.push(...secretProblems(current.kind, input.secret, false));
    // An email channel's user (in the URL) and password (the secret) only work together.
    if (current.kind === 'email' && (input.url !== undefined || input.secret !== undefined))
      problems.push(
        ...loginProblems(current.kind, input.url ?? this.open(current).url, input.secret !== undefined || current.secretSealed !== null),
      );
    if (problems.length > 0) throw new ValidationError(problems);
    const change = {
      now: this.now(),
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.url !== undefined
        ? { urlSealed: await this.sealer.seal(input.url, urlAad(channelId)), urlHint: urlHint(current.kind, input.url) }
        : {}),
      ...(input.secret !== undefined ? { secretSealed: await this.sealer.seal(input.secret, secretAad(channelId)) } : {}),
    };
    if (!(await this.store.update(channelId, scope, change))) throw notFound(channelId);
    this.audit(actor, 'channel.update', channelId);
    return this.get(channelId, actor);
  }

  async setPaused(channelId: string, paused: boolean, reason: string | null, actor: Principal): Promise<ChannelView> {
    const scope = scopeOf(actor);
    await this.own(channelId, scope);
    const done = await this.store.setPaused(
      channelId,
      scope,
      paused ? { reason: reason ?? `paused by ${actor.actor}`, now: this.now() } : null,
    );
    if (!done) throw notFound(channelId);
    this.audit(actor, paused ? 'channel.pause' : 'channel.resume', channelId);
    return this.get(channelId, actor);
  }

  async remove(channelId: string, actor: Principal): Promise<void> {
    const scope = scopeOf(actor);
    await this.own(channelId, scope);
    if (!(await this.store.delete(channelId, scope))) throw notFound(channelId);
    this.audit(actor, 'channel.remove', channelId);
  }

  /** Sends a real test message and reports what the receiver answered; records nothing but the audit line. */
  async test(channelId: string, actor: Principal): Promise<ChannelTestResult> {
    const channel = await this.stored(channelId, scopeOf(actor));
    const message = testMessage(channel, actor, this.now());
    const { result, outcome } = await deliver(this.open(channel), message, `test_${uuidv7()}`, this.delivery);
    this.audit(actor, 'channel.test', channelId);
    return {
      delivered: outcome.status === 'sent',
      outcome: outcome.status,
      status_code: result.statusCode,
      latency_ms: Math.round(result.latencyMs),
      reason: outcome.reason,
      response_excerpt: result.bodyExcerpt,
    };
  }

  /** The channel's URL and secret in the clear, for one delivery; an unreadable secret is an error naming the channel. */
  open(channel: StoredChannel): OpenChannel {
    try {
      return {
        channelId: channel.channelId,
        kind: channel.kind,
        url: this.sealer.open(channel.urlSealed, urlAad(channel.channelId)),
        secret: channel.secretSealed ? this.sealer.open(channel.secretSealed, secretAad(channel.channelId)) : null,
      };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      throw new AppError('channel_secret_unreadable', `channel "${channel.channelId}": its URL or secret ${error.message}`, 500);
    }
  }

  private urlProblems(kind: ChannelKind, url: unknown): FieldProblem[] {
    const problem = (message: string): FieldProblem[] => [{ field: 'url', message }];
    if (typeof url !== 'string' || url.length === 0 || url.length > MAX_CHANNEL_URL_LENGTH)
      return problem(`must be a URL of at most ${MAX_CHANNEL_URL_LENGTH} characters`);
    if (kind === 'email') return this.smtpUrlProblems(url);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return problem('is not a URL');
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return problem('must be http:// or https://');
    if (parsed.username || parsed.password) return problem('must not hold a user name or password');
    if (kind === 'ntfy') {
      const ntfy = parseNtfyUrl(url);
      if (!ntfy.ok) return problem(ntfy.problem);
    }
    return this.privateHostProblems(parsed.hostname);
  }

  private smtpUrlProblems(url: string): FieldProblem[] {
    const smtp = parseSmtpUrl(url);
    if (!smtp.ok) return [{ field: 'url', message: smtp.problem }];
    if (!smtp.target.starttls && !this.delivery.allowPrivate) {
      return [
        {
          field: 'url',
          message:
            'starttls=false sends the login and message in the clear: only for a relay on this host or network, with HOOKD_NOTIFY_ALLOW_PRIVATE=true',
        },
      ];
    }
    return this.privateHostProblems(smtp.target.host);
  }

  /** An address written in the URL is judged at once; a name is judged at each attempt, on what it resolves to. */
  private privateHostProblems(hostname: string): FieldProblem[] {
    const host = hostname.replace(/^\[|\]$/g, '');
    const literal = isIP(host) !== 0 ? host : /^localhost\.?$/i.test(host) ? '127.0.0.1' : null;
    if (!this.delivery.allowPrivate && literal && isPrivateAddress(literal)) {
      return [
        {
          field: 'url',
          message: `names a private or loopback address (${hostname}); set HOOKD_NOTIFY_ALLOW_PRIVATE=true to allow it`,
        },
      ];
    }
    return [];
  }

  private async stored(channelId: string, scope: ChannelScope): Promise<StoredChannel> {
    const channel = await this.store.get(channelId, scope);
    if (!channel) throw notFound(channelId);
    return channel;
  }

  /** A channel the scope may change: a team-bound token cannot change the installation's. */
  private async own(channelId: string, scope: ChannelScope): Promise<StoredChannel> {
    const channel = await this.stored(channelId, scope);
    if (scope.teamId !== null && channel.teamId === null) {
      throw new AppError('installation_channel', `channel "${channelId}" is the installation's: an unbound admin token changes it`, 403);
    }
    return channel;
  }

  private audit(actor: Principal, action: string, target: string): void {
    writeAudit(this.log, { actor: actor.actor, action, target, team: actor.teamId, session: actor.sessionId });
  }
}

/** Channels' sealed URLs (`url_sealed`, bound to `channel:<id>:url`) and signing secrets (`secret_sealed`, `channel:<id>:secret`), for rotation. */
export function channelSealedHolder(store: ChannelStore): SealedHolder {
  return {
    name: 'channels',
    async list() {
      const values: SealedValue[] = [];
      for (const c of await store.listSealed()) {
        values.push({ id: c.channelId, field: 'url_sealed', aad: urlAad(c.channelId), sealed: c.urlSealed });
        if (c.secretSealed !== null)
          values.push({ id: c.channelId, field: 'secret_sealed', aad: secretAad(c.channelId), sealed: c.secretSealed });
      }
      return values;
    },
    async replace(id, field, oldSealed, newSealed) {
      if (!(SEALED_CHANNEL_FIELDS as readonly string[]).includes(field)) throw new Error(`channels hold no sealed field "${field}"`);
      return store.replaceSealed(id, field as SealedChannelField, oldSealed, newSealed);
    },
  };
}

const NTFY_TOKEN = /^tk_[A-Za-z0-9]{1,197}$/;
const MAX_PASSWORD_LENGTH = 200;

/** What each kind takes as its secret: webhooks a signing secret (required), email an SMTP password, ntfy an access token. */
function secretProblems(kind: ChannelKind, secret: unknown, creating: boolean): FieldProblem[] {
  const problem = (message: string): FieldProblem[] => [{ field: 'secret', message }];
  if (secret === undefined) {
    return creating && kind === 'webhook'
      ? problem(
          'a webhook channel needs a signing secret: whsec_ and base64 of 24-64 random bytes (`hookd channels add --generate-secret` makes one)',
        )
      : [];
  }
  if (kind === 'slack' || kind === 'discord')
    return problem(`${kind} channels take no secret: their URL is the secret; webhook, email and ntfy channels take one`);
  if (typeof secret !== 'string') return problem('must be a string');
  if (kind === 'email') {
    if (secret.length === 0 || secret.length > MAX_PASSWORD_LENGTH)
      return problem(`an email channel's secret is its SMTP password: 1-${MAX_PASSWORD_LENGTH} characters`);
    return [];
  }
  if (kind === 'ntfy') {
    return NTFY_TOKEN.test(secret) ? [] : problem("an ntfy channel's secret is an access token: tk_ and letters or digits");
  }
  if (!isWebhookSecret(secret)) return problem('must be whsec_ and base64 of 24-64 bytes');
  return [];
}

/** An email channel logs in only with both a user (in its URL) and a password (its secret). */
function loginProblems(kind: ChannelKind, url: unknown, hasPassword: boolean): FieldProblem[] {
  if (kind !== 'email' || typeof url !== 'string') return [];
  const smtp = parseSmtpUrl(url);
  if (!smtp.ok) return [];
  if (smtp.target.user !== null && !hasPassword)
    return [{ field: 'secret', message: "the URL names a user to log in as: give the SMTP password as the channel's secret" }];
  if (smtp.target.user === null && hasPassword)
    return [{ field: 'url', message: 'a password needs a user to log in as: smtp://user@host (an @ in the user name is written %40)' }];
  return [];
}

/**
 * What a channel shows of its URL: an email channel its scheme and host (user and
 * recipients stay sealed), an ntfy channel its server and the start of the topic.
 */
function urlHint(kind: ChannelKind, url: string): string {
  if (kind === 'email') return smtpUrlHint(url);
  if (kind === 'ntfy') return ntfyUrlHint(url);
  return redactSecret(url);
}

const scopeOf = (actor: Principal): ChannelScope => ({ teamId: actor.teamId });
const notFound = (id: string) => new NotFoundError(`no channel "${id}"`, 'channel_not_found');

function view(c: StoredChannel): ChannelView {
  return {
    channel_id: c.channelId,
    team_id: c.teamId,
    kind: c.kind,
    name: c.name,
    url: c.urlHint,
    has_secret: c.secretSealed !== null,
    paused: c.paused,
    paused_reason: c.pausedReason,
    paused_at: c.pausedAt === null ? null : new Date(c.pausedAt).toISOString(),
    failure_streak: c.failureStreak,
    created_at: new Date(c.createdAt).toISOString(),
    updated_at: new Date(c.updatedAt).toISOString(),
  };
}

function testMessage(channel: StoredChannel, actor: Principal, now: number): ChannelMessage {
  return {
    kind: 'rule',
    priority: 'normal',
    title: `hookd test message for ${channel.channelId}`,
    text: `Sent by ${actor.actor} with \`hookd channels test\`. Notifications for this channel will look like this.`,
    fields: [
      { name: 'Channel', value: channel.name ?? channel.channelId },
      { name: 'Team', value: channel.teamId ?? 'installation' },
    ],
    context: {
      session_id: null,
      event_id: null,
      event_type: 'channel_test',
      team_id: channel.teamId,
      rule_id: null,
      project: null,
      timestamp: new Date(now).toISOString(),
    },
  };
}
