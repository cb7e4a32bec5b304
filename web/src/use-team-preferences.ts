import { useEffect, useState } from 'preact/hooks';
import { api } from './api.ts';
import type { Team } from './api-types.ts';
import { type BatchPreferences, preferencesOf } from './held-groups.ts';

/**
 * The notification preferences of these teams, to say how long a digest window lasts and
 * when quiet hours are. Asked once per set of teams: they change rarely, and a team the
 * token may not read (or an error) only leaves the words more general.
 */
export function useTeamPreferences(teamIds: readonly string[]): ReadonlyMap<string, BatchPreferences> {
  const [prefs, setPrefs] = useState<ReadonlyMap<string, BatchPreferences>>(new Map());
  const key = [...new Set(teamIds)].sort().join('\n');
  useEffect(() => {
    if (!key) return;
    const controller = new AbortController();
    Promise.all(
      key.split('\n').map((id) =>
        api<Team>(`/teams/${encodeURIComponent(id)}/configuration`, { signal: controller.signal })
          .then((team) => [id, preferencesOf(team.configuration)] as const)
          .catch(() => [id, null] as const),
      ),
    ).then((found) => {
      if (controller.signal.aborted) return;
      setPrefs(new Map(found.filter((f): f is readonly [string, BatchPreferences] => f[1] !== null)));
    });
    return () => controller.abort();
  }, [key]);
  return prefs;
}
