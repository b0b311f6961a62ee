// fetch() for the same-origin API: the session cookie authenticates, every state-changing call
// carries the CSRF token, bodies are form-encoded as Chatwork's API wants.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errors: string[],
    // The server's machine-readable reason ("last_admin", "search_no_word", …; docs/api/
    // kaiwa-openapi.yaml, Error): /kaiwa/v1's body `code`, or /v2's X-Kaiwa-Error-Code header.
    readonly code = '',
  ) {
    super(`${status}: ${errors.join('; ') || 'request failed'}`);
  }
}

// The reason code of a failed response (body first, then the header).
export function errorCodeOf(json: unknown, header: string | null): string {
  const code = (json as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : (header ?? '');
}

// status 0: the server could not be reached.
export const isNetworkError = (e: unknown) => e instanceof ApiError && e.status === 0;

export type Form = Record<string, string | number | boolean | undefined>;

export class Http {
  csrfToken = '';
  // Called on a 401 from a call that needed the session (it expired or was revoked).
  onUnauthorized: () => void = () => {};

  // `upload`: a multipart body (a file); the browser sets its Content-Type with the boundary.
  async request<T>(method: string, path: string, opts: { query?: Form; form?: Form; upload?: FormData; auth?: boolean } = {}): Promise<T> {
    let url = path;
    if (opts.query) url += `?${encode(opts.query)}`;
    const headers: Record<string, string> = { Accept: 'application/json' };
    let body: string | FormData | undefined = opts.upload;
    if (opts.form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = encode(opts.form);
    }
    if (method !== 'GET' && this.csrfToken) headers['X-CSRF-Token'] = this.csrfToken;
    let res: Response;
    try {
      res = await fetch(url, { method, headers, body, credentials: 'same-origin', cache: 'no-store' });
    } catch {
      throw new ApiError(0, []);
    }
    const text = await res.text().catch(() => '');
    let json: unknown;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    if (!res.ok) {
      const errors = (json as { errors?: unknown })?.errors;
      if (res.status === 401 && opts.auth !== false) this.onUnauthorized();
      throw new ApiError(res.status, Array.isArray(errors) ? errors.map(String) : [], errorCodeOf(json, res.headers.get('X-Kaiwa-Error-Code')));
    }
    return json as T;
  }

  get<T>(path: string, query?: Form, auth?: boolean) {
    return this.request<T>('GET', path, { query, auth });
  }
  post<T>(path: string, form: Form = {}, auth?: boolean) {
    return this.request<T>('POST', path, { form, auth });
  }
  put<T>(path: string, form: Form = {}) {
    return this.request<T>('PUT', path, { form });
  }
  del<T>(path: string) {
    return this.request<T>('DELETE', path);
  }
}

function encode(form: Form): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) {
    if (v === undefined) continue;
    p.append(k, typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
  }
  return p.toString();
}
