// Requests to the API with the browser's session: the session cookie goes along
// (same origin), and unsafe methods carry Django's CSRF token, which the API's
// session authentication demands. Problem details (RFC 9457) become react-admin
// HttpErrors whose body.errors maps each field to its message, so forms show
// them on the inputs.
import { HttpError } from 'react-admin';

const SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS'];

export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : '';
}

// `services[0]` and `address.city` belong to the inputs `services` and `address`.
export function fieldErrors(problem) {
  const errors = {};
  for (const item of problem.errors || []) {
    if (!item.field) continue;
    const input = item.field.split(/[.[]/)[0];
    errors[input] = errors[input] ? `${errors[input]} ${item.message}` : item.message;
  }
  return errors;
}

function problemError(status, problem) {
  const errors = fieldErrors(problem);
  const general = (problem.errors || []).filter((item) => !item.field).map((item) => item.message);
  const message = general.length ? general.join(' ') : problem.detail || `HTTP ${status}`;
  const body = Object.keys(errors).length ? { ...problem, errors } : { ...problem, errors: undefined };
  return new HttpError(message, status, body);
}

export async function request(url, { method = 'GET', body, headers = {} } = {}) {
  const sent = new Headers({ Accept: 'application/json', ...headers });
  if (body !== undefined) sent.set('Content-Type', 'application/json');
  if (!SAFE_METHODS.includes(method)) sent.set('X-CSRFToken', csrfToken());
  const response = await fetch(url, {
    method,
    headers: sent,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json = null;
  if (text && (response.headers.get('Content-Type') || '').includes('json')) json = JSON.parse(text);
  if (!response.ok) throw problemError(response.status, json || { detail: text });
  return { status: response.status, headers: response.headers, json };
}
