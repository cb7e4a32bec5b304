import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, onUnauthorized, setCsrfToken } from './api.ts';
import { Failure, Loading } from './components/loading.tsx';
import { Cost } from './pages/cost.tsx';
import { Live } from './pages/live.tsx';
import { NotificationView } from './pages/notification.tsx';
import { Notifications } from './pages/notifications.tsx';
import { Overview } from './pages/overview.tsx';
import { SessionView } from './pages/session.tsx';
import { Sessions } from './pages/sessions.tsx';
import { SignIn } from './pages/sign-in.tsx';
import { navigate, onLinkClick, UI, useLocation } from './router.ts';
import { type AuthSession, canWrite, SessionContext } from './session.ts';
import { applyTheme, nextTheme, storedTheme, type ThemeChoice } from './theme.ts';

type State =
  | { kind: 'checking' }
  | { kind: 'signed-out'; reason?: string }
  | { kind: 'failed'; error: Error }
  | { kind: 'in'; session: AuthSession };

export function App() {
  const [state, setState] = useState<State>({ kind: 'checking' });

  const check = () => {
    api<AuthSession>('/auth/session')
      .then((session) => {
        setCsrfToken(session.csrf_token);
        setState({ kind: 'in', session });
      })
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 401) setState({ kind: 'signed-out' });
        else setState({ kind: 'failed', error: error instanceof Error ? error : new Error(String(error)) });
      });
  };
  useEffect(() => {
    check();
    return onUnauthorized(() => {
      setCsrfToken(null);
      setState({ kind: 'signed-out', reason: 'Your session ended (it expired, or its token was revoked): sign in again.' });
    });
  }, []);

  switch (state.kind) {
    case 'checking':
      return (
        <main id="main">
          <Loading label="Connecting to hookd" />
        </main>
      );
    case 'failed':
      return (
        <main id="main">
          <Failure error={state.error} retry={check} />
        </main>
      );
    case 'signed-out':
      return (
        <SignIn
          {...(state.reason ? { reason: state.reason } : {})}
          onSignedIn={(session) => {
            setCsrfToken(session.csrf_token);
            setState({ kind: 'in', session });
          }}
        />
      );
    case 'in':
      return (
        <SessionContext.Provider value={state.session}>
          <Shell session={state.session} onSignedOut={() => setState({ kind: 'signed-out' })} />
        </SessionContext.Provider>
      );
  }
}

interface Page {
  /** Shown in the navigation; pages without one (a session) are reached by links. */
  nav?: { path: string; key: string };
  title: string;
  match: (path: string) => Record<string, string> | null;
  render: (params: Record<string, string>) => ComponentChildren;
}

const exact = (path: string) => (p: string) => (p === path ? {} : null);

const PAGES: Page[] = [
  { nav: { path: UI, key: 'o' }, title: 'Overview', match: exact(UI), render: () => <Overview /> },
  { nav: { path: `${UI}/live`, key: 'l' }, title: 'Live', match: exact(`${UI}/live`), render: () => <Live /> },
  { nav: { path: `${UI}/sessions`, key: 's' }, title: 'Sessions', match: exact(`${UI}/sessions`), render: () => <Sessions /> },
  { nav: { path: `${UI}/cost`, key: 'c' }, title: 'Cost', match: exact(`${UI}/cost`), render: () => <Cost /> },
  {
    nav: { path: `${UI}/notifications`, key: 'n' },
    title: 'Notifications',
    match: exact(`${UI}/notifications`),
    render: () => <Notifications />,
  },
  {
    title: 'Session',
    match: (p) => {
      const m = /^\/ui\/sessions\/([^/]+)$/.exec(p);
      return m ? { id: decodeURIComponent(m[1]!) } : null;
    },
    render: (params) => <SessionView id={params.id!} />,
  },
  {
    title: 'Notification',
    match: (p) => {
      const m = /^\/ui\/notifications\/([^/]+)$/.exec(p);
      return m ? { id: decodeURIComponent(m[1]!) } : null;
    },
    render: (params) => <NotificationView id={params.id!} />,
  },
];

function pageOf(pathname: string): { page: Page; params: Record<string, string> } | null {
  const path = pathname === '/' || pathname === `${UI}/` ? UI : pathname.replace(/\/$/, '');
  for (const page of PAGES) {
    const params = page.match(path);
    if (params) return { page, params };
  }
  return null;
}

/** `g` then a page's key moves there; `/` focuses the page's first filter. Never while typing. */
function useShortcuts(): void {
  useEffect(() => {
    let pendingG = 0;
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.ctrlKey || event.metaKey || event.altKey || target?.closest('input, textarea, select, [contenteditable]')) return;
      if (event.key === '/') {
        const first = document.querySelector<HTMLElement>('main form input, main form select');
        if (first) {
          event.preventDefault();
          first.focus();
        }
        return;
      }
      if (event.key === 'g') {
        pendingG = Date.now();
        return;
      }
      if (Date.now() - pendingG < 1500) {
        const page = PAGES.find((p) => p.nav?.key === event.key);
        if (page?.nav) navigate(page.nav.path);
        pendingG = 0;
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}

function Shell({ session, onSignedOut }: { session: AuthSession; onSignedOut: () => void }) {
  const url = useLocation();
  const found = pageOf(url.pathname);
  const page = found?.page ?? null;
  const [theme, setTheme] = useState<ThemeChoice>(storedTheme());
  useShortcuts();
  // One listener for every link of the app: each stays a plain link (new tab, copy) that
  // moves within the app on a plain click.
  useEffect(() => {
    document.addEventListener('click', onLinkClick);
    return () => document.removeEventListener('click', onLinkClick);
  }, []);

  const firstPage = useRef(true);
  useEffect(() => {
    document.title = page ? `${page.title} · hookd` : 'Not found · hookd';
    // Moving to another page puts the focus on its content, as a screen reader expects;
    // the first page leaves it where a page load does (the first Tab: "Skip to content").
    if (firstPage.current) firstPage.current = false;
    else document.getElementById('main')?.focus({ preventScroll: true });
  }, [page, found?.params.id]);

  const signOut = async () => {
    await api('/auth/session', { method: 'DELETE' }).catch(() => {});
    setCsrfToken(null);
    onSignedOut();
  };

  return (
    <div class="shell">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={UI}>
          hookd
        </a>
        <nav aria-label="Pages">
          <ul>
            {PAGES.filter((p) => p.nav).map((p) => (
              <li key={p.nav!.path}>
                <a
                  href={p.nav!.path}
                  aria-current={page === p ? 'page' : undefined}
                  aria-keyshortcuts={`g ${p.nav!.key}`}
                  title={`${p.title} (g then ${p.nav!.key})`}
                >
                  {p.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <Binding session={session} />
          <button
            type="button"
            class="quiet"
            onClick={() => {
              const next = nextTheme(theme);
              applyTheme(next);
              setTheme(next);
            }}
            title="Switch between the system's theme, dark and light"
          >
            Theme: {theme}
          </button>
          {session.via === 'cookie' && (
            <button type="button" class="quiet" onClick={signOut}>
              Sign out
            </button>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {found ? found.page.render(found.params) : <NotFound />}
      </main>
    </div>
  );
}

function Binding({ session }: { session: AuthSession }) {
  const parts: string[] = [];
  if (session.session_id) parts.push(`session ${session.session_id}`);
  else if (session.team_id) parts.push(`team ${session.team_id}`);
  if (!canWrite(session)) parts.push('read-only');
  if (session.via === 'open') parts.push('local, no token');
  return parts.length ? <span class="badge">{parts.join(' · ')}</span> : null;
}

function NotFound() {
  return (
    <section>
      <h1>Not found</h1>
      <p>
        No page here.{' '}
        <a href={UI} onClick={(e) => (e.preventDefault(), navigate(UI))}>
          Go to the overview
        </a>
        .
      </p>
    </section>
  );
}
