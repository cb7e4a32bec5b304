import type { Scope } from '../../core/principal.ts';

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

export interface TokenStore {
  /** Stores the token and, in the same transaction, the flag that a token was ever issued. */
  insert(record: TokenRecord): Promise<void>;
  /** Every token, or those bound to `teamId`. */
  list(teamId?: string): Promise<TokenRecord[]>;
  /** Marks the token revoked; false when no active token has that id (in `teamId`, when given). */
  revoke(id: string, teamId?: string): Promise<boolean>;
  /** Every token not revoked (the table is small: one row per issued token). */
  active(): Promise<TokenRecord[]>;
  /** True once any token was ever created, even if every one is revoked since. */
  issued(): Promise<boolean>;
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

/** The settings row that says a token was ever issued (migration 0011). */
export const TOKENS_ISSUED = 'tokens_issued';
