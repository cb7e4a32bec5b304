import type { NormalizedEvent } from './event.ts';

/**
 * A group (one request's events) refused because its writer is bound to a team and one of
 * its events names a session of another team: nothing of the group is stored.
 */
export interface ForeignSession {
  /** Index, within the group, of the first event whose session belongs to another team. */
  foreignAt: number;
}

/** Per group of a commit: how many of its events were duplicates, or why none was stored. */
export type GroupOutcome = number | ForeignSession;

export function isForeign(outcome: GroupOutcome): outcome is ForeignSession {
  return typeof outcome !== 'number';
}

/** The team a session belongs to; null = no team; undefined = no owner recorded yet. */
export type OwnerOf = (sessionId: string) => string | null | undefined;

/** What settleOwners decided for one commit. */
export interface SettledOwners {
  /** Per group: null when it may be stored, else why not. */
  refused: (ForeignSession | null)[];
  /** Sessions this commit gives their first owner, with that owner's team. */
  claims: Map<string, string | null>;
}

/**
 * Decides a commit's groups against the session owners: a group whose writer is bound to a
 * team, holding an event for a session another team owns, is refused whole; every other
 * event is stamped with its session's team, which the session's first accepted event
 * (team_id, or the token's team) decided. Events of refused groups are left as they were.
 * Runs inside the commit (SQLite) or just before its one statement (PostgreSQL), so two
 * teams racing for a new session id cannot both own it.
 */
export function settleOwners(
  groups: readonly (readonly NormalizedEvent[])[],
  teamBound: readonly boolean[] | undefined,
  ownerOf: OwnerOf,
): SettledOwners {
  const claims = new Map<string, string | null>();
  const owner = (sessionId: string) => (claims.has(sessionId) ? claims.get(sessionId) : ownerOf(sessionId));
  const refused = groups.map((group, g) => {
    if (teamBound?.[g]) {
      for (let i = 0; i < group.length; i++) {
        const e = group[i]!;
        const team = owner(e.sessionId);
        if (team !== undefined && team !== e.teamId) return { foreignAt: i };
      }
    }
    for (const e of group) {
      const team = owner(e.sessionId);
      if (team === undefined) claims.set(e.sessionId, e.teamId);
      else e.teamId = team;
    }
    return null;
  });
  return { refused, claims };
}

/**
 * Owners this process has read or written. An owner never changes once recorded, so an
 * entry can never be stale, whichever process recorded it; only new sessions cost a lookup.
 */
export class SessionOwnerCache {
  private readonly owners = new Map<string, string | null>();
  private readonly max: number;

  constructor(max = 100_000) {
    this.max = max;
  }

  get(sessionId: string): string | null | undefined {
    return this.owners.get(sessionId);
  }

  /** Remembers committed owners only: a claim rolled back with its commit was never an owner. */
  remember(sessionId: string, teamId: string | null): void {
    if (this.owners.size >= this.max && !this.owners.has(sessionId)) {
      // Oldest first: Map keeps insertion order.
      this.owners.delete(this.owners.keys().next().value!);
    }
    this.owners.set(sessionId, teamId);
  }
}
