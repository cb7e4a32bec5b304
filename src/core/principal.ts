export const SCOPES = ['ingest', 'read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** What a token may do, as the auth hook hands it to routes. */
export interface Principal {
  tokenId: string | null;
  /** Who acts, for the audit log: the token id, `local` (loopback, no token issued yet) or `cli`. */
  actor: string;
  scopes: ReadonlySet<Scope>;
  teamId: string | null;
  sessionId: string | null;
}
