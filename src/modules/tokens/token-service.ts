import { createHash, randomBytes } from 'node:crypto';
import { ForbiddenError, NotFoundError, ValidationError } from '../../core/app-error.ts';
import { SILENT_LOG, writeAudit, type ServiceLog } from '../../core/audit-log.ts';
import { checkIdText } from '../../core/json-guard.ts';
import type { TokenRecord, TokenStore } from './token.ts';
import { SCOPES, type Principal, type Scope } from '../../core/principal.ts';

export interface CreateTokenInput {
  scopes: string[];
  name?: string | null;
  teamId?: string | null;
  sessionId?: string | null;
}

export interface CreatedToken {
  /** Shown once; only its SHA-256 is stored. */
  token: string;
  record: TokenRecord;
}

/** How stale the in-memory view of tokens may get: new and revoked tokens apply within this. */
const REFRESH_MS = 1000;

export const RECOVERY_HINT = "create one with 'hookd token create --scope admin' on a machine that reaches the database";

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

interface Snapshot {
  byHash: Map<string, TokenRecord>;
  byId: Map<string, TokenRecord>;
  issued: boolean;
}

/**
 * API tokens: creation, listing and revocation narrowed to what the acting principal is
 * bound to, and authentication of presented tokens from a snapshot refreshed every second.
 */
export class TokenService {
  private readonly store: TokenStore;
  private readonly log: ServiceLog;
  private snapshot: Snapshot | null = null;
  private loadedAt = 0;
  private loading: Promise<Snapshot> | null = null;

  constructor(store: TokenStore, log: ServiceLog = SILENT_LOG) {
    this.store = store;
    this.log = log;
  }

  /**
   * A bound actor creates tokens bound at least as narrowly as itself: its own team and
   * session are the new token's, whether named or left out; naming another is refused.
   */
  async create(input: CreateTokenInput, actor: Principal = CLI_PRINCIPAL): Promise<CreatedToken> {
    const scopes = [...new Set(input.scopes.map((s) => s.trim()).filter(Boolean))];
    const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
    if (scopes.length === 0 || unknown.length > 0) {
      throw new ValidationError([
        { field: 'scopes', message: `must be some of ${SCOPES.join(', ')}${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}` },
      ]);
    }
    const teamId = narrowed('team_id', input.teamId ?? null, actor.teamId);
    const sessionId = narrowed('session_id', input.sessionId ?? null, actor.sessionId);
    const token = `hookd_${randomBytes(32).toString('base64url')}`;
    const record: TokenRecord = {
      id: `tok_${randomBytes(6).toString('hex')}`,
      name: input.name ?? null,
      tokenHash: hashToken(token),
      scopes: scopes as Scope[],
      teamId,
      sessionId,
      createdAt: new Date(),
      revokedAt: null,
    };
    await this.store.insert(record);
    this.loadedAt = 0;
    this.audit(actor, 'token.create', record.id);
    return { token, record };
  }

  /** Every token, or a team-bound actor's team's; a session-bound actor lists none. */
  list(actor: Principal = CLI_PRINCIPAL): Promise<TokenRecord[]> {
    refuseSessionBound(actor);
    return this.store.list(actor.teamId ?? undefined);
  }

  /** Revokes a token the actor may see (its team's when team-bound); 404 otherwise. */
  async revoke(id: string, actor: Principal = CLI_PRINCIPAL): Promise<void> {
    refuseSessionBound(actor);
    if (!(await this.store.revoke(id, actor.teamId ?? undefined)))
      throw new NotFoundError(`no active token with id ${id}`, 'token_not_found');
    this.loadedAt = 0;
    this.audit(actor, 'token.revoke', id);
    if ((await this.store.active()).length === 0) {
      this.log.warn({ token: id }, `the last API token was revoked: every route but /health now answers 401; ${RECOVERY_HINT}`);
    }
  }

  /** True once any token was ever created: from then on every route but /health needs one, even with none left. */
  async required(): Promise<boolean> {
    return (await this.current()).issued;
  }

  /** The principal for a presented bearer token, or null when it is unknown or revoked. */
  async authenticate(token: string): Promise<Principal | null> {
    const record = (await this.current()).byHash.get(hashToken(token));
    return record ? principalOf(record) : null;
  }

  /**
   * The principal of an active token by its id, or null once it is revoked: a dashboard
   * session cookie names the token it was signed in with, never the token itself.
   */
  async authenticateId(tokenId: string): Promise<Principal | null> {
    const record = (await this.current()).byId.get(tokenId);
    return record ? principalOf(record) : null;
  }

  private audit(actor: Principal, action: string, target: string): void {
    writeAudit(this.log, { actor: actor.actor, action, target, team: actor.teamId, session: actor.sessionId });
  }

  private async current(): Promise<Snapshot> {
    if (this.snapshot && Date.now() - this.loadedAt < REFRESH_MS) return this.snapshot;
    this.loading ??= Promise.all([this.store.active(), this.snapshot?.issued || this.store.issued()])
      .then(([records, issued]) => {
        this.snapshot = { byHash: new Map(records.map((r) => [r.tokenHash, r])), byId: new Map(records.map((r) => [r.id, r])), issued };
        this.loadedAt = Date.now();
        return this.snapshot;
      })
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }
}

function principalOf(record: TokenRecord): Principal {
  return { tokenId: record.id, actor: record.id, scopes: new Set(record.scopes), teamId: record.teamId, sessionId: record.sessionId };
}

/** The binding a new token gets from a bound actor: the actor's own, unless it names another. */
function narrowed(field: 'team_id' | 'session_id', asked: string | null, own: string | null): string | null {
  checkIdText(field, asked);
  if (own === null) return asked;
  if (asked !== null && asked !== own) {
    throw new ForbiddenError(
      'binding_too_wide',
      `${field}: this token may only create tokens bound to its own ${field === 'team_id' ? 'team' : 'session'} ("${own}")`,
    );
  }
  return own;
}

function refuseSessionBound(actor: Principal): void {
  if (actor.sessionId) throw new ForbiddenError('session_scoped_token', 'a token bound to one session can neither list nor revoke tokens');
}

/** The principal of a request served without tokens (loopback only, none issued yet). */
export const LOCAL_PRINCIPAL: Principal = {
  tokenId: null,
  actor: 'local',
  scopes: new Set<Scope>(SCOPES),
  teamId: null,
  sessionId: null,
};

/** The command line acts with the database's own rights: whoever can open it owns it. */
export const CLI_PRINCIPAL: Principal = { ...LOCAL_PRINCIPAL, actor: 'cli' };
