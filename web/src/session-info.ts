// What the live page shows beside a session id (project, branch, model): fetched once per
// session, a few at a time, and kept for the page's life.
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.ts';
import type { Session } from './api-types.ts';

const known = new Map<string, Session | null>();
const wanted: string[] = [];
const listeners = new Set<() => void>();
let running = 0;
const CONCURRENCY = 3;

function pump(): void {
  while (running < CONCURRENCY && wanted.length) {
    const id = wanted.shift()!;
    running++;
    api<Session>(`/sessions/${encodeURIComponent(id)}`)
      .then((s) => known.set(id, s))
      .catch(() => {
        known.set(id, null);
        // Not derived yet, or gone: ask again later.
        setTimeout(() => known.delete(id), 10_000);
      })
      .finally(() => {
        running--;
        for (const listener of listeners) listener();
        pump();
      });
  }
}

/** The sessions of `ids` known so far; asks for the others. */
export function useSessionInfo(ids: readonly string[]): ReadonlyMap<string, Session | null> {
  const [, setVersion] = useState(0);
  useEffect(() => {
    const listener = () => setVersion((v) => v + 1);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  for (const id of ids) {
    if (!known.has(id) && !wanted.includes(id)) wanted.push(id);
  }
  pump();
  return known;
}

/** Forget a session, e.g. when its project may have been learnt since. */
export function refreshSessionInfo(id: string): void {
  known.delete(id);
}
