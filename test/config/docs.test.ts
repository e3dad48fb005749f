import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import packageJson from '../../package.json' with { type: 'json' };
import {
  REFERENCE_END,
  REFERENCE_START,
  renderConfigReference,
  withConfigReference,
} from '../../src/config/docs.ts';
import { configJsonSchemaText } from '../../src/config/json-schema.ts';
import { COMPUTED_DEFAULTS } from '../../src/config/options.ts';
import { DEFAULT_USER_AGENT } from '../../src/pipeline/fetch/client.ts';
import { DEFAULT_MAX_WIDTH } from '../../src/pipeline/fetch/images.ts';
import { PAGE_WORKER_HEAP_MB } from '../../src/pipeline/threads/page-workers.ts';

const DOCS = readFileSync('docs/config.md', 'utf8');

describe('generated config docs', () => {
  test('docs/config.md is up to date (regenerate: node bin/run-ts.js scripts/gen-config-docs.ts)', () => {
    assert.equal(DOCS.split(REFERENCE_START).length, 2, 'one start marker');
    assert.equal(DOCS.split(REFERENCE_END).length, 2, 'one end marker');
    assert.equal(DOCS, withConfigReference(DOCS, renderConfigReference().markdown));
  });

  test('every schema field has a description', () => {
    assert.deepEqual(renderConfigReference().undocumented, []);
  });

  test('a field without a description is reported', () => {
    const { undocumented } = renderConfigReference({
      type: 'object',
      properties: {
        section: {
          type: 'object',
          description: 'a section',
          properties: { said: { type: 'string', description: 'yes' }, unsaid: { type: 'integer' } },
        },
      },
    });
    assert.deepEqual(undocumented, ['section.unsaid']);
  });

  test('every computed default names a field of the schema', () => {
    const fields = [...DOCS.matchAll(/^\| `([^`]+)` \|/gm)].map((match) => match[1]);
    for (const path of Object.keys(COMPUTED_DEFAULTS)) assert.ok(fields.includes(path), path);
  });

  test('schema/newsmirror.schema.json is byte for byte what scripts/gen-schema.ts writes', () => {
    assert.equal(readFileSync('schema/newsmirror.schema.json', 'utf8'), configJsonSchemaText());
  });
});

// Descriptions state a few numbers that live in other modules; these fail when the code's number changes.
describe('numbers the config docs state', () => {
  test('the worker heap', () => {
    assert.match(DOCS, new RegExp(`capped heap \\(${PAGE_WORKER_HEAP_MB} MB\\)`));
  });

  test('the widest mirrored image', () => {
    assert.match(DOCS, new RegExp(`at most ${DEFAULT_MAX_WIDTH} px wide`));
  });

  test('the default user agent', () => {
    const documented = COMPUTED_DEFAULTS['fetch.userAgent'].replaceAll('`', '');
    assert.equal(documented.replace('<version>', packageJson.version), DEFAULT_USER_AGENT);
  });
});
