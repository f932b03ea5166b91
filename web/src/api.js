// HTTP helpers: JSON in and out, the CSRF header on every non-GET request, and errors that carry
// the server's message ({error:{code,message}}).
import { t } from './i18n.js';

const CSRF_KEY = 'switchboard.csrf';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function csrfToken() {
  try { return sessionStorage.getItem(CSRF_KEY); } catch { return null; }
}

export function setCsrfToken(token) {
  try {
    if (token) sessionStorage.setItem(CSRF_KEY, token);
    else sessionStorage.removeItem(CSRF_KEY);
  } catch { /* storage disabled: the token lives only in this page */ }
  memoryToken = token || null;
}
let memoryToken = null;

// Called when the server says the session is gone (401) so the app can show the sign-in form.
let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

// A nextLink is absolute (public URL); fetch its path and query from our own origin.
export function localPath(url) {
  try {
    const u = new URL(url, location.href);
    return u.pathname + u.search;
  } catch {
    return url;
  }
}

// quiet: a 401 is the caller's to handle (the session is not declared gone). No Accept header
// (the server answers JSON anyway): a GET goes out with the headers of index.html's
// <link rel="preload" as="fetch">, and Chromium uses a preloaded answer only for a request
// with the same headers.
export async function request(method, path, body, { signal, quiet = false } = {}) {
  const headers = {};
  if (method !== 'GET' && method !== 'HEAD') {
    const t = csrfToken() || memoryToken;
    if (t) headers['X-CSRF-Token'] = t;
  }
  let payload;
  if (body instanceof Blob) {
    // A file as it is (an app package): the server reads the bytes, not JSON.
    headers['Content-Type'] = 'application/zip';
    payload = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', signal });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', t('admin.ui.network'));
  }
  const text = await res.text();
  let data = null;
  if (text && /json/i.test(res.headers.get('content-type') || '')) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!res.ok) {
    const e = data && data.error ? data.error : {};
    const err = new ApiError(res.status, e.code || String(res.status), e.message || t('admin.ui.serverAnswered', { status: String(res.status) }));
    if (res.status === 401 && path !== '/api/v1/session' && !quiet) onUnauthorized(err);
    throw err;
  }
  return data;
}

export const get = (p, o) => request('GET', p, undefined, o);
export const post = (p, b) => request('POST', p, b === undefined ? {} : b);
export const patch = (p, b) => request('PATCH', p, b);
export const del = (p) => request('DELETE', p);
export const enc = encodeURIComponent;
