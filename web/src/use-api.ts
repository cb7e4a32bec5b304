import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api.ts';

export interface ApiState<T> {
  data: T | null;
  error: Error | null;
  /** True while a request is out, also when older data is still shown. */
  loading: boolean;
  reload(): void;
}

/**
 * GETs `path` (null: nothing yet), again when it changes or every `refreshMs`; a newer
 * request aborts an older one, so a slow answer never overwrites a newer filter's.
 */
export function useApi<T>(path: string | null, refreshMs = 0): ApiState<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const [tick, setTick] = useState(0);
  const controller = useRef<AbortController | null>(null);

  useEffect(() => {
    if (path === null) return;
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    setLoading(true);
    api<T>(path, { signal: current.signal })
      .then((value) => {
        if (current.signal.aborted) return;
        setData(value);
        setError(null);
      })
      .catch((e: unknown) => {
        if (current.signal.aborted) return;
        setError(e instanceof Error ? e : new Error(String(e)));
      })
      .finally(() => {
        if (!current.signal.aborted) setLoading(false);
      });
    return () => current.abort();
  }, [path, tick]);

  useEffect(() => {
    if (!refreshMs || path === null) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') setTick((t) => t + 1);
    }, refreshMs);
    return () => clearInterval(timer);
  }, [path, refreshMs]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}
