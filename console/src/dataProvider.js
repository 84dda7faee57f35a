// react-admin's data provider for this API: page-number pagination
// (`?page=&page_size=`, answers `{count, results}`), `ordering` and filters only
// where a list documents them (unknown query parameters are a 400), `?id=` repeated
// for references, and PATCH with the If-Match the API requires, from the ETag of
// the last read of the record.
import { request } from './http.js';
import { resourceInfo } from './schema.js';

const MAX_PAGE_SIZE = 100;

export function listQuery(resource, { pagination, sort, filter }) {
  const accepted = resourceInfo.get(resource)?.parameters || new Set();
  const query = new URLSearchParams();
  if (pagination) {
    query.set('page', String(pagination.page));
    query.set('page_size', String(Math.min(pagination.perPage, MAX_PAGE_SIZE)));
  }
  if (sort?.field && accepted.has('ordering')) {
    query.set('ordering', `${sort.order === 'DESC' ? '-' : ''}${sort.field}`);
  }
  for (const [name, value] of Object.entries(filter || {})) {
    if (value === undefined || value === null || value === '') continue;
    for (const item of Array.isArray(value) ? value : [value]) query.append(name, String(item));
  }
  return query;
}

// What a form sends: only fields the API takes, an emptied text field as "".
export function writableData(resource, data) {
  const info = resourceInfo.get(resource);
  if (!info) return data;
  return Object.fromEntries(
    Object.entries(data)
      .filter(([name]) => info.writable.has(name))
      .map(([name, value]) => [name, value === null && info.blankText.has(name) ? '' : value]),
  );
}

// Records keyed by another field than `id` get it as their `id` too.
export function withId(resource, record) {
  const key = resourceInfo.get(resource)?.identifier || 'id';
  return key === 'id' ? record : { ...record, id: record[key] };
}

export function dataProvider(entrypoint, introspect) {
  const base = entrypoint.replace(/\/$/, '');
  const collection = (resource) => `${base}/${resource}/`;
  const item = (resource, id) => `${base}/${resource}/${encodeURIComponent(id)}/`;
  // ETags of the records as last read, for If-Match on writes.
  const etags = new Map();
  const remember = (resource, id, headers) => {
    const etag = headers.get('ETag');
    if (etag) etags.set(`${resource}/${id}`, etag);
  };

  const getList = async (resource, params) => {
    const { json } = await request(`${collection(resource)}?${listQuery(resource, params)}`);
    return { data: json.results.map((record) => withId(resource, record)), total: json.count };
  };

  const getOne = async (resource, { id }) => {
    const { json, headers } = await request(item(resource, id));
    remember(resource, id, headers);
    return { data: withId(resource, json) };
  };

  const etagFor = async (resource, id) => {
    if (!etags.has(`${resource}/${id}`)) await getOne(resource, { id });
    return etags.get(`${resource}/${id}`);
  };

  const update = async (resource, { id, data }) => {
    const etag = await etagFor(resource, id);
    const { json, headers } = await request(item(resource, id), {
      method: 'PATCH',
      body: writableData(resource, data),
      headers: etag ? { 'If-Match': etag } : {},
    });
    remember(resource, id, headers);
    return { data: withId(resource, json) };
  };

  const remove = async (resource, { id, previousData }) => {
    const etag = etags.get(`${resource}/${id}`);
    await request(item(resource, id), { method: 'DELETE', headers: etag ? { 'If-Match': etag } : {} });
    etags.delete(`${resource}/${id}`);
    return { data: previousData || { id } };
  };

  // The generated show and edit screens subscribe to live updates (Mercure),
  // which this API does not publish: nothing to subscribe to.
  const noLiveUpdates = () => Promise.resolve({ data: null });

  return {
    introspect,
    subscribe: noLiveUpdates,
    unsubscribe: noLiveUpdates,
    getList,
    getOne,
    getMany: async (resource, { ids }) => {
      const query = new URLSearchParams({ page_size: String(MAX_PAGE_SIZE) });
      for (const id of ids.slice(0, MAX_PAGE_SIZE)) query.append('id', String(id));
      const { json } = await request(`${collection(resource)}?${query}`);
      return { data: json.results.map((record) => withId(resource, record)) };
    },
    getManyReference: (resource, { target, id, ...params }) =>
      getList(resource, { ...params, filter: { ...params.filter, [target]: id } }),
    create: async (resource, { data }) => {
      const { json } = await request(collection(resource), {
        method: 'POST',
        body: writableData(resource, data),
      });
      return { data: withId(resource, json) };
    },
    update,
    updateMany: async (resource, { ids, data }) => {
      for (const id of ids) await update(resource, { id, data });
      return { data: ids };
    },
    delete: remove,
    deleteMany: async (resource, { ids }) => {
      for (const id of ids) await remove(resource, { id });
      return { data: ids };
    },
  };
}
