// The user's colleagues (same organization) for the member pickers, from GET /kaiwa/v1/colleagues:
// filtered by the server (name or email, NFKC and case folded, so ｶﾀｶﾅ finds カタカナ) and paged,
// since an organization may have thousands.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Store } from '../store';
import { getColleagues, type Colleague } from './api';

export interface Colleagues {
  list: Colleague[];
  hasMore: boolean;
  loading: boolean;
  failed: boolean;
  more: () => void;
  retry: () => void;
}

const kPage = 50;
const kTypingMs = 250;

export function useColleagues(store: Store, query: string, enabled = true): Colleagues {
  const [state, setState] = useState({ list: [] as Colleague[], hasMore: false, loading: false, failed: false });
  const seq = useRef(0);
  const q = query.normalize('NFKC').trim().slice(0, 100);

  async function load(offset: number, run: number) {
    setState((s) => ({ ...s, loading: true, failed: false }));
    try {
      const page = await getColleagues(store.api.http, q, offset, kPage);
      if (run !== seq.current) return;
      setState((s) => ({ list: offset ? [...s.list, ...page.colleagues] : page.colleagues, hasMore: page.has_more, loading: false, failed: false }));
    } catch {
      if (run !== seq.current) return;
      setState((s) => ({ ...s, loading: false, failed: true }));
    }
  }

  // A new query replaces the list (after a pause in typing); the last answer wins.
  useEffect(() => {
    if (!enabled) return;
    const run = ++seq.current;
    const timer = setTimeout(() => void load(0, run), q ? kTypingMs : 0);
    return () => clearTimeout(timer);
  }, [q, enabled]);

  return {
    ...state,
    more: () => {
      if (!state.loading) void load(state.list.length, seq.current);
    },
    retry: () => void load(0, ++seq.current),
  };
}
