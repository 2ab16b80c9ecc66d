import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, unwrap } from '../api/client';
import * as auth from '../api/auth';
import { prefetchLanding } from '../lib/dashboardQuery';
import { onSignedOut, refresh, setAccessToken } from './token';

/** The signed-in user as GET /api/auth/me answers. */
export type Me = auth.Me;

type State = { status: 'loading' } | { status: 'signed-out' } | { status: 'signed-in'; me: Me };

export interface Session {
  state: State;
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const LANDING_WAIT_MS = 500;

const SessionContext = createContext<Session | null>(null);

async function loadMe(): Promise<Me> {
  return await unwrap(api.GET('/api/auth/me'));
}

/**
 * A reload: the refresh cookie (if any) gives a new access token, then the user (and, at 工作台, its content).
 * Started by main.tsx before React renders, so the first round trip overlaps the loading of the app's code.
 */
export function resumeSession(queryClient: QueryClient): Promise<State> {
  return refresh()
    .then(async (ok) => {
      if (!ok) return { status: 'signed-out' as const };
      const user = loadMe();
      const landing = prefetchLanding(queryClient, window.location.pathname, user);
      const me = await user;
      // One first render with 工作台's content rather than one per answer (each a long task on a slow PC), but
      // not waiting long for it.
      await Promise.race([landing, new Promise((resolve) => setTimeout(resolve, LANDING_WAIT_MS))]);
      return { status: 'signed-in' as const, me };
    })
    .catch(() => ({ status: 'signed-out' as const }));
}

export function SessionProvider({ resumed, children }: { resumed: Promise<State>; children: ReactNode }) {
  const [state, setState] = useState<State>({ status: 'loading' });
  const queryClient = useQueryClient();

  useEffect(() => {
    let cancelled = false;
    void resumed.then((next) => !cancelled && setState(next));
    const off = onSignedOut(() => {
      queryClient.clear();
      setState({ status: 'signed-out' });
    });
    return () => {
      cancelled = true;
      off();
    };
  }, [queryClient, resumed]);

  const signIn = useCallback(async (email: string, password: string) => {
    const res = await auth.login(email, password);
    setAccessToken(res.accessToken);
    const me = await loadMe();
    setState({ status: 'signed-in', me });
  }, []);

  const signOut = useCallback(async () => {
    await auth.logout();
    setAccessToken(null);
    queryClient.clear();
    setState({ status: 'signed-out' });
  }, [queryClient]);

  const value = useMemo(() => ({ state, signIn, signOut }), [state, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}

/** The signed-in user (inside the signed-in layout only). */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useMe while signed out');
  return state.me;
}
