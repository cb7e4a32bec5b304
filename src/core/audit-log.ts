/**
 * What hookd logs through: pino's logger satisfies it, and a test can pass a recorder.
 * Services get one from the composition root instead of writing to stdout themselves.
 */
export interface ServiceLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

/** One mutating action, as the `audit` log line carries it (and a later audit store will keep). */
export interface AuditEntry {
  /** The token id that acted, `local` for a loopback client while no token exists, `cli` for the command line. */
  actor: string;
  /** `<what>.<verb>`, e.g. `token.create`, `session.delete`. */
  action: string;
  /** The id acted on; null when the action has none (a cleanup). */
  target: string | null;
  /** The actor's binding: its team and session, null when unbound. */
  team: string | null;
  session: string | null;
}

/**
 * Writes the line. It names who did what to which id and never a value (a body, a token,
 * a URL), so no secret can ride along: only the five fields are copied.
 */
export function writeAudit(log: ServiceLog, entry: AuditEntry): void {
  const { actor, action, target, team, session } = entry;
  log.info({ audit: { actor, action, target, team, session } }, 'audit');
}

/** A log that writes nothing: one-shot commands and tests that do not look. */
export const SILENT_LOG: ServiceLog = {
  info() {},
  warn() {},
};
