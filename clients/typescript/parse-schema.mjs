// Prints, as JSON, what API Platform's api-doc-parser reads from the OpenAPI schema
// at the URL given: each resource with its fields, enums, references and operations.
// tests/clients/test_api_doc_parser.py compares it with the API's own routes.
import { parseOpenApi3Documentation } from "@api-platform/api-doc-parser";

const [url] = process.argv.slice(2);
if (!url) {
  console.error("usage: node parse-schema.mjs <schema URL>");
  process.exit(2);
}

const field = (f) => ({
  name: f.name,
  type: f.type,
  arrayType: f.arrayType ?? null,
  enum: f.enum ? Object.values(f.enum) : null,
  reference: f.reference?.name ?? null,
  embedded: f.embedded?.name ?? null,
  required: f.required,
  nullable: f.nullable,
});

const { api, status } = await parseOpenApi3Documentation(url);
const resources = api.resources.map((resource) => ({
  name: resource.name,
  title: resource.title,
  url: resource.url,
  fields: resource.readableFields.map(field),
  operations: (resource.operations ?? []).map((operation) => operation.type),
}));
process.stdout.write(JSON.stringify({ status, resources }));
