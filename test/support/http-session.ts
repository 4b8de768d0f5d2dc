// A logged-in HTTP client of the store, as a browser would be: it keeps the session cookie and sends
// the session's CSRF token on state-changing requests (unless a test means not to).

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
