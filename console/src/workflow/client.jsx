// The workflow pages call endpoints the generic screens do not (actions, nested
// routes): through the same session-and-CSRF requests as the data provider.
import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import { request } from '../http.js';

export const ApiContext = createContext('/api/v1/');

export function useApi() {
  const base = useContext(ApiContext).replace(/\/$/, '');
  return useCallback(
    async (path, options) => (await request(`${base}${path}`, options)).json,
    [base],
  );
}

// Every page of a list the workflow needs whole (candidates, reports of one evaluation).
export async function everyPage(api, path) {
  const rows = [];
  for (let page = 1; ; page += 1) {
    const separator = path.includes('?') ? '&' : '?';
    const body = await api(`${path}${separator}page=${page}&page_size=100`);
    rows.push(...body.results);
    if (!body.next) return rows;
  }
}

// Load with `load(api)`, again whenever `reload()` is called; errors are shown.
export function useLoad(load, deps) {
  const api = useApi();
  const [state, setState] = useState({ data: null, error: null });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    load(api).then(
      (data) => live && setState({ data, error: null }),
      (error) => live && setState({ data: null, error }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, round, ...deps]);
  return { ...state, reload: () => setRound((value) => value + 1) };
}

export function Problem({ error }) {
  if (!error) return null;
  const fields = Object.entries(error.body?.errors || {}).map(([field, message]) => `${field}: ${message}`);
  return (
    <p role="alert" className="problem" style={{ color: '#b00020' }}>
      {[error.message, ...fields].join(' ')}
    </p>
  );
}
