import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.ts';
import type { AuthSession } from '../session.ts';

/** Sign-in with an API token: the server turns it into an HttpOnly cookie; the token is not kept here. */
export function SignIn({ onSignedIn, reason }: { onSignedIn: (session: AuthSession) => void; reason?: string }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await api<AuthSession>('/auth/session', { method: 'POST', body: { token: token.trim() } });
      setToken('');
      onSignedIn(session);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'hookd did not answer');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="sign-in">
      <h1>hookd</h1>
      {reason && <p class="notice">{reason}</p>}
      <form onSubmit={submit}>
        <label for="token">API token</label>
        <input
          id="token"
          type="password"
          autocomplete="off"
          spellcheck={false}
          placeholder="hookd_…"
          value={token}
          onInput={(e) => setToken((e.target as HTMLInputElement).value)}
          required
        />
        <button type="submit" disabled={busy || !token.trim()}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </form>
      <p class="hint">
        A token with the <code>read</code> or <code>admin</code> scope: <code>hookd token create --scope read --name dashboard</code>. A
        token bound to a team or session shows only that team or session.
      </p>
    </main>
  );
}
