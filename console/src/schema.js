// The resources as @api-platform/api-doc-parser reads them from the schema served
// for API Platform Admin (/api/schema/admin/, config/schema_admin.py), which is
// made to be read as it is: the console hands the parser the address and uses
// what it finds.
import { parseOpenApi3Documentation } from '@api-platform/api-doc-parser';

// The resources the console knows, with their key, the query parameters each list takes
// (lists refuse any other parameter), the fields an edit may send, and the text
// fields that take "" but not null (react-admin turns a cleared input into null).
export const resourceInfo = new Map();

// The item route's key (`/capabilities/{code}`): react-admin needs it as `id`.
function identifier(document, name) {
  for (const path of Object.keys(document.paths || {})) {
    const match = path.match(/^\/([^/{}]+)\/{([^{}]+)}$/);
    if (match && match[1] === name) return match[2];
  }
  return 'id';
}

export function parseSchema(entrypointUrl) {
  return async (docUrl) => {
    let parsed;
    try {
      parsed = await parseOpenApi3Documentation(docUrl);
    } catch (failure) {
      throw new Error(`The API schema could not be read (HTTP ${failure?.status ?? 'error'}).`);
    }
    parsed.api.entrypoint = entrypointUrl;
    for (const resource of parsed.api.resources) {
      const writable = resource.writableFields || [];
      resourceInfo.set(resource.name, {
        parameters: new Set((resource.parameters || []).map((parameter) => parameter.variable)),
        identifier: identifier(parsed.response, resource.name),
        writable: new Set(writable.map((field) => field.name)),
        blankText: new Set(
          writable.filter((field) => field.type === 'string' && !field.nullable).map((field) => field.name),
        ),
      });
    }
    return parsed;
  };
}
