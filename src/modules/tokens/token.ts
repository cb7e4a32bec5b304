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
