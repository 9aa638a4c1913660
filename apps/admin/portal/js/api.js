/* global fetch, sessionStorage */
// The portal's only way to talk to the admin API: bearer token from the session, errors as {code, message}.

const TOKEN_KEY = 'accord.admin.token';

/** An API error with the server's stable code. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set token(value) {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  },
  user: null,
  onExpired: () => {},
};

/** Calls the API; resolves with parsed JSON (or text for non-JSON), rejects with ApiError. */
export async function api(method, path, body) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The admin server cannot be reached. Check your connection and try again.');
  }
  if (response.status === 204) return undefined;
  const text = await response.text();
  let data = text;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    // CRL and other text bodies
  }
  if (!response.ok) {
    const code = data && typeof data === 'object' && data.code ? data.code : `HTTP_${response.status}`;
    const message = data && typeof data === 'object' && data.message ? data.message : response.statusText;
    if (response.status === 401 && path !== '/v1/auth/login') session.onExpired();
    throw new ApiError(response.status, code, message);
  }
  return data;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body ?? {});
