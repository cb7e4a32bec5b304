export const SCOPES = ['ingest', 'read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export interface TokenRecord {
  id: string;
  name: string | null;
  tokenHash: string;
  scopes: Scope[];
  teamId: string | null;
  sessionId: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}

/** What a token may do, as the auth hook hands it to routes. */
export interface Principal {
  tokenId: string | null;
  scopes: ReadonlySet<Scope>;
  teamId: string | null;
  sessionId: string | null;
}

export interface TokenStore {
  insert(record: TokenRecord): Promise<void>;
  list(): Promise<TokenRecord[]>;
  /** Marks the token revoked; false when no active token has that id. */
  revoke(id: string): Promise<boolean>;
  /** Every token not revoked (the table is small: one row per issued token). */
  active(): Promise<TokenRecord[]>;
}

/** A token row as either dialect returns it (times as epoch ms or Date). */
export interface TokenRow {
  id: string;
  name: string | null;
  token_hash: string;
  scopes: string;
  team_id: string | null;
  session_id: string | null;
  created_at: number | Date;
  revoked_at: number | Date | null;
}

export function tokenFromRow(r: TokenRow): TokenRecord {
  return {
    id: r.id,
    name: r.name,
    tokenHash: r.token_hash,
    scopes: r.scopes.split(',') as Scope[],
    teamId: r.team_id,
    sessionId: r.session_id,
    createdAt: new Date(r.created_at),
    revokedAt: r.revoked_at === null ? null : new Date(r.revoked_at),
  };
}
