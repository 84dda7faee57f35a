// The served OpenAPI document, read the way @api-platform/api-doc-parser expects
// it. The parser assumes paths relative to the first server and collections
// without a trailing slash (it looks up `/providers` for the list beside
// `/providers/{id}`), and reads enums of multi-value fields only from the
// property itself; our schema prefixes every path with /api/v1/, ends them with
// a slash and keeps an array's enum on its items. The document is rewritten to
// that shape in memory and handed to the parser unchanged otherwise.
import { parseOpenApi3Documentation } from '@api-platform/api-doc-parser';

function component(document, ref) {
  if (!ref || !ref.startsWith('#/components/schemas/')) return null;
  return document.components.schemas[ref.slice('#/components/schemas/'.length)] || null;
}

function hoistArrayEnums(document) {
  for (const schema of Object.values(document.components?.schemas || {})) {
    for (const property of Object.values(schema.properties || {})) {
      if (property.type !== 'array' || !property.items || property.enum) continue;
      const items = component(document, property.items.$ref) || property.items;
      if (items.enum) property.enum = items.enum.filter((value) => value !== null);
    }
  }
}

function schemaName(operation, content) {
  const ref = content?.['application/json']?.schema?.$ref;
  return ref && ref.startsWith('#/components/schemas/') ? ref.slice('#/components/schemas/'.length) : null;
}

// The parser takes a field's `required` from the response schema, where it means
// "always in the answer"; a form needs "must be sent", which the create request's
// schema says (and nothing is required in a PATCH).
function requiredAsSent(document) {
  const schemas = document.components?.schemas || {};
  for (const [path, item] of Object.entries(document.paths)) {
    if (!/^[^{}]+\/{[^{}]+}$/.test(path)) continue;
    const shown = schemaName(item.get, item.get?.responses?.['200']?.content);
    if (!shown || !schemas[shown]) continue;
    const create = document.paths[path.replace(/\/{[^{}]+}$/, '')]?.post;
    const sent = schemaName(create, create?.requestBody?.content);
    schemas[shown] = { ...schemas[shown], required: (sent && schemas[sent]?.required) || [] };
  }
}

export function relativeToEntrypoint(document, entrypointUrl) {
  const prefix = new URL(entrypointUrl).pathname.replace(/\/$/, '');
  const paths = {};
  for (const [path, item] of Object.entries(document.paths)) {
    if (!path.startsWith(`${prefix}/`)) continue;
    const relative = path.slice(prefix.length).replace(/\/$/, '') || '/';
    paths[relative] = item;
  }
  const copy = { ...document, paths, servers: [{ url: entrypointUrl }] };
  hoistArrayEnums(copy);
  requiredAsSent(copy);
  return copy;
}

// The resources the console knows, with their key, the query parameters each list takes
// (lists refuse any other parameter), the fields an edit may send, and the text
// fields that take "" but not null (react-admin turns a cleared input into null).
export const resourceInfo = new Map();

export function parseSchema(entrypointUrl) {
  return async (docUrl) => {
    const response = await fetch(docUrl, {
      headers: { Accept: 'application/vnd.oai.openapi+json' },
      credentials: 'same-origin',
    });
    if (!response.ok) throw new Error(`The API schema could not be read (HTTP ${response.status}).`);
    const document = relativeToEntrypoint(await response.json(), entrypointUrl);
    // The parser fetches what it parses: hand it the rewritten document by address.
    const address = URL.createObjectURL(new Blob([JSON.stringify(document)], { type: 'application/json' }));
    try {
      const parsed = await parseOpenApi3Documentation(address);
      parsed.api.entrypoint = entrypointUrl;
      for (const resource of parsed.api.resources) {
        const collection = document.paths[`/${resource.name}`]?.get;
        const key = Object.keys(document.paths)
          .map((path) => path.match(/^\/([^/{}]+)\/{([^{}]+)}$/))
          .find((match) => match && match[1] === resource.name)?.[2];
        resourceInfo.set(resource.name, {
          parameters: new Set((collection?.parameters || []).map((parameter) => parameter.name)),
          // The item route's key (`/capabilities/{code}`): react-admin needs it as `id`.
          identifier: key || 'id',
          writable: new Set((resource.writableFields || []).map((field) => field.name)),
          blankText: new Set(
            (resource.writableFields || [])
              .filter((field) => field.type === 'string' && !field.nullable)
              .map((field) => field.name),
          ),
        });
      }
      return parsed;
    } finally {
      URL.revokeObjectURL(address);
    }
  };
}
