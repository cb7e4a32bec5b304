// The sessions page's filters, as kept in its URL, and the GET /sessions request they make;
// `agent` is the sessions' source (claude-code, codex, ...).
import { query } from './api.ts';

export const SESSION_FILTERS = ['agent', 'project', 'branch', 'model', 'status', 'range', 'failures'] as const;
const RANGES: Record<string, number> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };
const PAGE = 50;

/** The list request for the URL's filters; `range` becomes `from` when asked, so a shared link stays relative. */
export function sessionListPath(
  filters: Record<(typeof SESSION_FILTERS)[number], string>,
  cursor: string | null,
  now = Date.now(),
): string {
  const range = RANGES[filters.range];
  return `/sessions${query({
    status: filters.status || undefined,
    source: filters.agent || undefined,
    project: filters.project || undefined,
    git_branch: filters.branch || undefined,
    model: filters.model || undefined,
    from: range ? new Date(now - range).toISOString() : undefined,
    has_failures: filters.failures === 'yes' ? 'true' : undefined,
    limit: PAGE,
    cursor,
  })}`;
}
