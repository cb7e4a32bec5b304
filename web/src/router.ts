// Client-side routes on the History API, so every page and its filters live in the URL:
// a reload or a shared link shows the same thing. Pages sit under /ui (API paths never
// do); `/` is the overview.
import { useEffect, useState } from 'preact/hooks';

export const UI = '/ui';
const listeners = new Set<() => void>();
const notify = () => {
  for (const listener of listeners) listener();
};
window.addEventListener('popstate', notify);

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === location.pathname + location.search) return;
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  notify();
}

/** The current location; the component renders again when it changes. */
export function useLocation(): URL {
  const [, setVersion] = useState(0);
  useEffect(() => {
    const listener = () => setVersion((v) => v + 1);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  return new URL(location.href);
}

/**
 * Filters kept in the query string: reading gives the URL's values, writing replaces the
 * history entry (typing in a filter does not fill the back button).
 */
export function useQueryState<K extends string>(keys: readonly K[]): [Record<K, string>, (changes: Partial<Record<K, string>>) => void] {
  const url = useLocation();
  const values = Object.fromEntries(keys.map((k) => [k, url.searchParams.get(k) ?? ''])) as Record<K, string>;
  const set = (changes: Partial<Record<K, string>>) => {
    const next = new URL(location.href);
    for (const [key, value] of Object.entries(changes) as [K, string | undefined][]) {
      if (value) next.searchParams.set(key, value);
      else next.searchParams.delete(key);
    }
    navigate(next.pathname + next.search, { replace: true });
  };
  return [values, set];
}

/** Left clicks on same-origin links move within the app; modified clicks open tabs as usual. */
export function onLinkClick(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = (event.target as Element | null)?.closest('a');
  if (!anchor || anchor.target || anchor.origin !== location.origin || anchor.hasAttribute('download')) return;
  const path = anchor.pathname;
  if (path !== '/' && path !== UI && !path.startsWith(`${UI}/`)) return;
  event.preventDefault();
  navigate(path + anchor.search);
}
