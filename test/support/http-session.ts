// A logged-in HTTP client of the store, as a browser would be: it keeps the session cookie and sends
// the session's CSRF token on state-changing requests (unless a test means not to).

import http from 'node:http';

export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export class HttpSession {
  readonly baseUrl: string;
  cookie: string | undefined;
  csrf: string | undefined;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  async request(
    method: string,
    url: string,
    options: {
      body?: unknown;
      raw?: string | Uint8Array;
      headers?: Record<string, string>;
      csrf?: boolean;
    } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookie) headers.cookie = this.cookie;
    if (options.csrf !== false && this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    let body: string | Blob | undefined;
    if (options.raw !== undefined) {
      body = typeof options.raw === 'string' ? options.raw : new Blob([new Uint8Array(options.raw)]);
      headers['content-type'] ??= 'application/json';
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(this.baseUrl + url, {
      method,
      headers,
      body,
      redirect: 'manual',
      // A server that stops answering fails the test instead of hanging it.
      signal: AbortSignal.timeout(15_000),
    });
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('vestnik_session='));
    if (setCookie) this.cookie = setCookie.split(';')[0];
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Not JSON (metrics, a page): keep the text.
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  }

  /** Logs in and picks up the CSRF token; throws unless it worked. */
  async login(login: string, password: string): Promise<this> {
    const answer = await this.request('POST', '/api/session', { body: { login, password } });
    if (answer.status !== 200) throw new Error(`login as ${login}: ${answer.status} ${answer.text}`);
    this.csrf = (answer.body as { csrf: string }).csrf;
    return this;
  }

  get = (url: string) => this.request('GET', url);
  post = (url: string, body?: unknown) => this.request('POST', url, { body });
  put = (url: string, body?: unknown) => this.request('PUT', url, { body });
}

/**
 * Posts a body with node:http and resolves with the answer even when the server answers before
 * reading the whole body and closes (as it does for an oversized one), which fetch reports as a
 * failure.
 */
export function postOversized(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    let answered = false;
    request.on('response', (response) => {
      answered = true;
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => {
        try {
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) });
        } catch {
          resolve({ status: response.statusCode ?? 0, body: text });
        }
      });
    });
    request.on('error', (error) => {
      // A write cut short after the answer came is expected; before it, it is a failure.
      if (!answered) reject(error);
    });
    request.end(body);
  });
}
