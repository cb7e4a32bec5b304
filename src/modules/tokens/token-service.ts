import { createHash, randomBytes } from 'node:crypto';
import { NotFoundError, ValidationError } from '../../errors/app-error.ts';
import { SCOPES, type Principal, type Scope, type TokenRecord, type TokenStore } from './token.ts';

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

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class TokenService {
  private readonly store: TokenStore;
  private snapshot: Map<string, TokenRecord> | null = null;
  private loadedAt = 0;
  private loading: Promise<Map<string, TokenRecord>> | null = null;

  constructor(store: TokenStore) {
    this.store = store;
  }

  async create(input: CreateTokenInput): Promise<CreatedToken> {
    const scopes = [...new Set(input.scopes.map((s) => s.trim()).filter(Boolean))];
    const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
    if (scopes.length === 0 || unknown.length > 0) {
      throw new ValidationError([{ field: 'scopes', message: `must be some of ${SCOPES.join(', ')}${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}` }]);
    }
    const token = `hookd_${randomBytes(32).toString('base64url')}`;
    const record: TokenRecord = {
      id: `tok_${randomBytes(6).toString('hex')}`,
      name: input.name ?? null,
      tokenHash: hashToken(token),
      scopes: scopes as Scope[],
      teamId: input.teamId ?? null,
      sessionId: input.sessionId ?? null,
      createdAt: new Date(),
      revokedAt: null,
    };
    await this.store.insert(record);
    this.loadedAt = 0;
    return { token, record };
  }

  list(): Promise<TokenRecord[]> {
    return this.store.list();
  }

  async revoke(id: string): Promise<void> {
    if (!(await this.store.revoke(id))) throw new NotFoundError(`no active token with id ${id}`);
    this.loadedAt = 0;
  }

  /** True once any token exists: from then on every route but /health needs one. */
  async required(): Promise<boolean> {
    return (await this.current()).size > 0;
  }

  /** The principal for a presented bearer token, or null when it is unknown or revoked. */
  async authenticate(token: string): Promise<Principal | null> {
    const record = (await this.current()).get(hashToken(token));
    if (!record) return null;
    return { tokenId: record.id, scopes: new Set(record.scopes), teamId: record.teamId, sessionId: record.sessionId };
  }

  private async current(): Promise<Map<string, TokenRecord>> {
    if (this.snapshot && Date.now() - this.loadedAt < REFRESH_MS) return this.snapshot;
    this.loading ??= this.store
      .active()
      .then((records) => {
        this.snapshot = new Map(records.map((r) => [r.tokenHash, r]));
        this.loadedAt = Date.now();
        return this.snapshot;
      })
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }
}

/** The principal of a request served without tokens (loopback only, none issued yet). */
export const LOCAL_PRINCIPAL: Principal = {
  tokenId: null,
  scopes: new Set<Scope>(SCOPES),
  teamId: null,
  sessionId: null,
};
