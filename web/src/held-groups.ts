// Held notifications as the notifications page presents them: grouped as the server batches
// them (team, channel, kind, and why they wait), each group said in words from its team's
// notification preferences.
import type { Notification } from './api-types.ts';

/** A team's batching, from its configuration's notification_preferences. */
export interface BatchPreferences {
  threshold: number;
  windowMinutes: number;
  /** null: quiet hours are off. */
  quiet: { start: string; end: string; timeZone: string } | null;
}

/** The preferences in a configuration as GET /teams/{id}/configuration gives it; null when they cannot be read. */
export function preferencesOf(configuration: object): BatchPreferences | null {
  const p = (configuration as { notification_preferences?: Record<string, unknown> }).notification_preferences;
  if (!p || typeof p.batch_threshold !== 'number' || typeof p.batch_timeout_minutes !== 'number') return null;
  const q = p.quiet_hours as Record<string, unknown> | undefined;
  const quiet =
    q && q.enabled === true && typeof q.start === 'string' && typeof q.end === 'string'
      ? { start: q.start, end: q.end, timeZone: typeof q.time_zone === 'string' ? q.time_zone : 'UTC' }
      : null;
  return { threshold: p.batch_threshold, windowMinutes: p.batch_timeout_minutes, quiet };
}

export type HeldReason = 'digest' | 'quiet_hours';

export interface HeldGroup {
  key: string;
  teamId: string | null;
  channel: string;
  kind: string;
  reason: HeldReason;
  /** When the first of them goes (they usually all go together). */
  goesAt: string | null;
  /** Oldest first. */
  items: Notification[];
}

const reasonOf = (n: Notification): HeldReason => (n.held_reason === 'quiet_hours' ? 'quiet_hours' : 'digest');

/** Held notifications by (team, channel, kind, reason), the group that goes first first. */
export function heldGroups(items: readonly Notification[]): HeldGroup[] {
  const groups = new Map<string, HeldGroup>();
  for (const n of items) {
    const reason = reasonOf(n);
    const key = JSON.stringify([n.team_id, n.channel, n.kind, reason]);
    let g = groups.get(key);
    if (!g) {
      g = { key, teamId: n.team_id, channel: n.channel, kind: n.kind, reason, goesAt: null, items: [] };
      groups.set(key, g);
    }
    g.items.push(n);
    if (n.next_attempt_at && (g.goesAt === null || Date.parse(n.next_attempt_at) < Date.parse(g.goesAt))) g.goesAt = n.next_attempt_at;
  }
  const at = (g: HeldGroup) => (g.goesAt ? Date.parse(g.goesAt) : Number.POSITIVE_INFINITY);
  for (const g of groups.values()) g.items.sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
  return [...groups.values()].sort((a, b) => at(a) - at(b) || (a.key < b.key ? -1 : 1));
}

/**
 * Why they wait, in three parts around the time they go: a short label, what they wait
 * for (before "goes at …"), and what else may let them go (after it).
 */
export function heldWhy(reason: HeldReason, prefs: BatchPreferences | null): { label: string; why: string; after: string } {
  if (reason === 'quiet_hours') {
    const q = prefs?.quiet;
    return {
      label: 'quiet hours',
      why: `Held through the team's quiet hours${q ? ` (${q.start}–${q.end}, ${q.timeZone})` : ''}`,
      after: ', when they end',
    };
  }
  return {
    label: 'digest',
    why: prefs
      ? `Waiting for more within the ${prefs.windowMinutes}-minute window, to go as one digest`
      : 'Waiting for more within its digest window, to go as one digest',
    after: prefs ? `, or sooner once ${prefs.threshold} wait` : '',
  };
}

/** Why a notification that is no longer held was: for the detail page. */
export const heldBefore = (reason: string) => (reason === 'quiet_hours' ? "through its team's quiet hours" : 'for its digest window');
