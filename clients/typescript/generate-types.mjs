// Writes the TypeScript types of an OpenAPI schema (a file or a URL) with
// openapi-typescript: `node generate-types.mjs schema.json schema.d.ts`.
//
// Two choices differ from the generator's defaults, both so that the types say
// exactly what the schema says: a property is optional only when the schema leaves
// it out of `required` (a default value does not make it present), and a binary
// body (an uploaded or downloaded file) is a Blob rather than a string.
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error("usage: node generate-types.mjs <schema file or URL> <output .d.ts>");
  process.exit(2);
}

const BLOB = ts.factory.createTypeReferenceNode(ts.factory.createIdentifier("Blob"));
const NULL = ts.factory.createLiteralTypeNode(ts.factory.createNull());
const source = /^https?:/.test(input) ? new URL(input) : pathToFileURL(input);

const ast = await openapiTS(source, {
  defaultNonNullable: false,
  transform(schemaObject) {
    if (schemaObject.format === "binary") {
      return schemaObject.nullable ? ts.factory.createUnionTypeNode([BLOB, NULL]) : BLOB;
    }
    return undefined;
  },
});
writeFileSync(output, astToString(ast));
