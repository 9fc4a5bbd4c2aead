// Lints AsyncAPI documents with the official parser (@asyncapi/parser, pinned in package.json):
// a document fails on any error or warning the parser reports (invalid-ref, schema violations,
// the AsyncAPI ruleset). `make test` runs it on docs/asyncapi/*.yaml; the message examples are
// validated against their payload schemas by tests/ops/test_asyncapi_documents.py.
import { readFile } from "node:fs/promises";
import { Parser, DiagnosticSeverity } from "@asyncapi/parser";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node lint.mjs DOCUMENT.yaml ...");
  process.exit(2);
}

const parser = new Parser();
let failed = 0;
for (const file of files) {
  const { document, diagnostics } = await parser.parse(await readFile(file, "utf8"), {
    source: file,
  });
  const bad = diagnostics.filter((d) => d.severity <= DiagnosticSeverity.Warning);
  for (const d of bad) {
    const where = d.path.length ? d.path.join(".") : "(document)";
    console.error(`${file}: ${d.code}: ${d.message} at ${where}`);
  }
  if (bad.length || !document) {
    failed += 1;
    continue;
  }
  const channels = document.allChannels().length;
  const messages = document.allMessages().length;
  console.log(`${file}: valid AsyncAPI ${document.version()} (${channels} channels, ${messages} messages)`);
}
process.exit(failed ? 1 : 0);
