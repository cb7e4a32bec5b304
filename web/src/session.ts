// Who the dashboard acts as: GET /auth/session's answer (shapes in
// src/http/dashboard-session-routes.ts).
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export interface AuthSession {
  via: 'cookie' | 'bearer' | 'open';
  token_id: string | null;
  scopes: string[];
  team_id: string | null;
  session_id: string | null;
  csrf_token: string | null;
  expires_at: string | null;
}

export const SessionContext = createContext<AuthSession | null>(null);

export function useAuthSession(): AuthSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useAuthSession outside the signed-in shell');
  return session;
}

/** Read-only tokens get no write controls; bound ones see only their team or session. */
export const canWrite = (s: AuthSession) => s.scopes.includes('admin') || s.scopes.includes('ingest');
export const isServerWide = (s: AuthSession) => s.team_id === null && s.session_id === null;
/**
 * Retrying notifications and testing, pausing or resuming channels needs the admin scope
 * (an ingest token writes events, not these): their buttons are shown to admins only.
 */
export const canAdmin = (s: AuthSession) => s.scopes.includes('admin');
