import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { App } from 'antd';
import { api, setCsrfToken, setSessionLostHandler } from '../api/client.ts';
import type { SessionResponse, SessionUser } from '../api/types.ts';

interface AuthValue {
  /** undefined while the first /auth/me is in flight */
  user: SessionUser | null | undefined;
  login: (username: string, password: string) => Promise<SessionUser>;
  logout: () => Promise<void>;
  /** Forget a session the server has already ended (e.g. after a password change): go to plain /login. */
  endSession: () => void;
  can: (permission: string) => boolean;
  refresh: () => Promise<void>;
  /** true after the user signed out on purpose: /login then carries no return path */
  signedOut: boolean;
}

const AuthContext = createContext<AuthValue | null>(null);

/** Where to go after signing in: only same-site paths, never //host or a scheme. */
export function safeRedirect(target: string | null | undefined): string {
  if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\') || target.startsWith('/login')) return '/';
  return target;
}

export function loginPathFor(returnTo: string): string {
  const safe = safeRedirect(returnTo);
  return safe === '/' ? '/login' : `/login?redirect=${encodeURIComponent(safe)}`;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<SessionUser | null | undefined>(undefined);
  const [signedOut, setSignedOut] = useState(false);
  const navigate = useNavigate();
  const location = useLocation();
  const { message } = App.useApp();
  const locationRef = useRef(location);
  locationRef.current = location;

  const accept = useCallback((res: SessionResponse) => {
    setCsrfToken(res.csrfToken);
    setSignedOut(false);
    setUser(res.user);
    return res.user;
  }, []);

  const refresh = useCallback(async () => {
    try {
      accept(await api.get<SessionResponse>('/auth/me', undefined, { noSessionRedirect: true }));
    } catch {
      setCsrfToken(null);
      setUser(null);
    }
  }, [accept]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    setSessionLostHandler((err) => {
      setUser(null);
      const loc = locationRef.current;
      if (loc.pathname === '/login') return;
      void message.warning(err.message);
      navigate(loginPathFor(loc.pathname + loc.search + loc.hash), { replace: true });
    });
    return () => setSessionLostHandler(null);
  }, [message, navigate]);

  const login = useCallback(
    async (username: string, password: string) =>
      accept(await api.post<SessionResponse>('/auth/login', { username, password }, { noSessionRedirect: true })),
    [accept],
  );

  const endSession = useCallback(() => {
    setCsrfToken(null);
    setSignedOut(true);
    setUser(null); // <RequireAuth> now sends the browser to plain /login
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.post<void>('/auth/logout', undefined, { noSessionRedirect: true });
    } catch {
      /* the session is gone either way */
    }
    endSession();
  }, [endSession]);

  const can = useCallback((permission: string) => !!user && user.permissions.includes(permission), [user]);

  const value = useMemo(() => ({ user, login, logout, endSession, can, refresh, signedOut }), [user, login, logout, endSession, can, refresh, signedOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const v = useContext(AuthContext);
  if (!v) throw new Error('useAuth() outside <AuthProvider>');
  return v;
}

/** The signed-in user; only for pages rendered behind <RequireAuth>. */
export function useUser(): SessionUser {
  const { user } = useAuth();
  if (!user) throw new Error('useUser() without a signed-in user');
  return user;
}
