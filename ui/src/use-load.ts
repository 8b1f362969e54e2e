import { useEffect, useState } from 'preact/hooks';
import { historyRevision, type RequestError } from './connection.ts';

/** Loads data for a page; reloads when `deps` change or the history changed anywhere. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | null; error: string | null } {
  const [state, setState] = useState<{ data: T | null; error: string | null }>({ data: null, error: null });
  useEffect(() => {
    let live = true;
    load().then(
      (data) => live && setState({ data, error: null }),
      (e: RequestError) => live && setState({ data: null, error: e.code ?? 'ERROR' }),
    );
    return () => {
      live = false;
    };
  }, [...deps, historyRevision.value]);
  return state;
}
