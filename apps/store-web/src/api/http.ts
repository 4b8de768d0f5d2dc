// JSON over fetch with the session's CSRF token; every failure becomes an ApiError with the
// server's code, so that pages branch on codes and show the server's messages as they are.

export interface Problem {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: unknown;

  constructor(code: string, status: number, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.details = details;
  }

  /** The field-level problems of a VALIDATION_FAILED or INVALID_ARGUMENT answer. */
  get problems(): Problem[] {
    const details = this.details as { problems?: unknown } | undefined;
    if (!details || !Array.isArray(details.problems)) return [];
    return (details.problems as unknown[]).filter(
      (p): p is Problem =>
        typeof p === 'object' &&
        p !== null &&
        'path' in p &&
        typeof p.path === 'string' &&
        'message' in p &&
        typeof p.message === 'string',
    );
  }
}

let csrfToken: string | null = null;

/** Remembers the CSRF token of the current session (from GET/POST /api/session). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** Hooks the app into 401s (the session ended) without the HTTP layer knowing the app. */
let onUnauthenticated: (() => void) | null = null;
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError('UNAVAILABLE', 0, 'The server does not answer.');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const error = (parsed ?? {}) as { code?: unknown; message?: unknown; details?: unknown };
    const code =
      typeof error.code === 'string' ? error.code : response.status >= 500 ? 'UNAVAILABLE' : 'INTERNAL';
    const message =
      typeof error.message === 'string' ? error.message : `${response.status} ${response.statusText}`;
    if (code === 'UNAUTHENTICATED' && path !== '/api/session') onUnauthenticated?.();
    throw new ApiError(code, response.status, message, error.details);
  }
  return parsed as T;
}
