// Regenerates the field reference in docs/config.md from src/config/options.ts (a test fails when it is stale).
// Only the text between the markers is rewritten; the prose around it is hand-written.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderConfigReference, withConfigReference } from '../src/config/docs.ts';

const DOCS_PATH = 'docs/config.md';

const { markdown, undocumented } = renderConfigReference();
if (undocumented.length > 0) {
  console.error(
    `gen-config-docs: give these fields a .describe() in src/config/options.ts: ${undocumented.join(', ')}`,
  );
  process.exit(1);
}
writeFileSync(DOCS_PATH, withConfigReference(readFileSync(DOCS_PATH, 'utf8'), markdown));
console.log(`wrote ${DOCS_PATH}`);
