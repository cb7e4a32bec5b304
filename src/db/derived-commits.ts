import type { SqliteDriver } from './database.ts';

/** Runs one transaction; see derivedCommits. */
export type DerivedCommit = <T>(transaction: () => T) => T;

/**
 * Commits of derived rows (sessions, tool uses, the executions rules fire) without waiting
 * for fsync, on a connection that otherwise syncs every commit (synchronous=FULL).
 *
 * Why that loses nothing: each such transaction also moves the cursor or queue that says
 * which events it covered, and the WAL keeps transactions whole and in order. A power loss
 * can take the last of them, cursor and rows together, and the next pass derives those
 * events again. The events themselves are committed with a sync (acknowledged means
 * stored), and that sync also writes out every derived transaction before it. A crash of
 * the process loses nothing either way: the operating system still holds the writes.
 *
 * On a server these passes run on the write thread between ingest commits, so each fsync
 * they skip is time given back to acknowledgements.
 */
export function derivedCommits(sqlite: SqliteDriver): DerivedCommit {
  const level = (sqlite.pragma('synchronous') as { synchronous: number }[])[0]?.synchronous ?? 1;
  // 0 OFF and 1 NORMAL already skip the sync; 2 FULL and 3 EXTRA are put back after.
  if (level < 2) return (transaction) => transaction();
  return (transaction) => {
    // SQLite refuses to change the level inside a transaction; there the caller's commit decides.
    if (sqlite.inTransaction) return transaction();
    sqlite.pragma('synchronous = NORMAL');
    try {
      return transaction();
    } finally {
      sqlite.pragma(`synchronous = ${level}`);
    }
  };
}
