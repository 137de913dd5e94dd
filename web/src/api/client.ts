/**
 * The one way the console talks to the server: same-origin fetch, JSON in and out,
 * Accept-Language from the chosen locale, the CSRF token on every state-changing call,
 * and errors turned into ApiError from the {"error":{"code","message","details"}} body.
 */

export const API_BASE = '/api/v1';

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: unknown;

  constructor(code: string, message: string, status: number, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

/** Codes after which the session is gone and the user must sign in again. */
export const SESSION_LOST_CODES: readonly string[] = ['AUTH_REQUIRED', 'AUTH_SESSION_EXPIRED'];

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const UNSAFE: readonly Method[] = ['POST', 'PUT', 'PATCH', 'DELETE'];

let csrfToken: string | null = null;
let acceptLanguage = 'zh-CN';
let onSessionLost: ((err: ApiError) => void) | null = null;
let fallbackMessages = {
  network: '网络异常，请检查网络连接后重试',
  http: '请求失败（HTTP {status}）',
};

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function setApiLocale(locale: string, messages?: { network: string; http: string }): void {
  acceptLanguage = locale;
  if (messages) fallbackMessages = messages;
}

/** Called when a request answers 401 AUTH_REQUIRED / AUTH_SESSION_EXPIRED (the app redirects to /login). */
export function setSessionLostHandler(handler: ((err: ApiError) => void) | null): void {
  onSessionLost = handler;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Do not run the session-lost handler on 401 (used by /auth/me, /auth/login and /auth/password). */
  noSessionRedirect?: boolean;
  signal?: AbortSignal;
}

export function buildUrl(path: string, query?: Query): string {
  let url = path.startsWith('/api/') ? path : API_BASE + path;
  if (query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue;
      params.set(k, String(v));
    }
    const qs = params.toString();
    if (qs) url += (url.includes('?') ? '&' : '?') + qs;
  }
  return url;
}

export async function request<T>(method: Method, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': acceptLanguage,
  };
  let body: string | undefined;
  // A POST without a body (revoke, verify, logout) still goes out as JSON `{}`: the server parses it and,
  // with no body schema on those routes, accepts it. (Content-Type JSON with an *empty* body would be
  // MALFORMED_JSON, so the two always travel together.)
  const payload = opts.body === undefined && method === 'POST' ? {} : opts.body;
  if (payload !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(payload);
  }
  if (UNSAFE.includes(method) && csrfToken) headers['x-csrf-token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      cache: 'no-store',
      signal: opts.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError('NETWORK_ERROR', fallbackMessages.network, 0);
  }

  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }

  if (!res.ok) {
    const err = toApiError(res.status, data);
    if (res.status === 401 && SESSION_LOST_CODES.includes(err.code) && !opts.noSessionRedirect) {
      csrfToken = null;
      onSessionLost?.(err);
    }
    throw err;
  }
  return data as T;
}

function toApiError(status: number, data: unknown): ApiError {
  const e = (data as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  if (e && typeof e.code === 'string') {
    const message = typeof e.message === 'string' && e.message ? e.message : e.code;
    return new ApiError(e.code, message, status, e.details);
  }
  return new ApiError(`HTTP_${status}`, fallbackMessages.http.replace('{status}', String(status)), status, data);
}

/**
 * Non-JSON traffic with the same headers and error handling: a raw request body (CSV, NDJSON) and/or a
 * binary answer (photos, CSV reports). Errors still arrive as the JSON error body.
 */
export async function requestRaw(
  method: Method,
  path: string,
  opts: { query?: Query; body?: string; contentType?: string; accept?: string; signal?: AbortSignal } = {},
): Promise<Response> {
  const headers: Record<string, string> = { Accept: opts.accept ?? '*/*', 'Accept-Language': acceptLanguage };
  if (opts.body !== undefined) headers['Content-Type'] = opts.contentType ?? 'text/plain';
  if (UNSAFE.includes(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), { method, headers, body: opts.body, credentials: 'same-origin', cache: 'no-store', signal: opts.signal });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError('NETWORK_ERROR', fallbackMessages.network, 0);
  }
  if (!res.ok) {
    let data: unknown;
    try {
      data = JSON.parse(await res.text());
    } catch {
      data = undefined;
    }
    const err = toApiError(res.status, data);
    if (res.status === 401 && SESSION_LOST_CODES.includes(err.code)) {
      csrfToken = null;
      onSessionLost?.(err);
    }
    throw err;
  }
  return res;
}

/** GET a binary resource as a Blob (e.g. an applicant photo). */
export async function fetchBlob(path: string, signal?: AbortSignal): Promise<Blob> {
  return (await requestRaw('GET', path, { signal })).blob();
}

export const api = {
  get: <T>(path: string, query?: Query, opts?: Omit<RequestOptions, 'query' | 'body'>) => request<T>('GET', path, { ...opts, query }),
  post: <T>(path: string, body?: unknown, opts?: Omit<RequestOptions, 'body'>) => request<T>('POST', path, { ...opts, body }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body }),
  del: <T = void>(path: string) => request<T>('DELETE', path),
};

export function isApiError(err: unknown, code?: string): err is ApiError {
  return err instanceof ApiError && (code === undefined || err.code === code);
}
