// The package's one public entry point (src/index.ts, built to dist/index.mjs): its exports are pinned here, so a
// change to the API is a decision made in this file, not a side effect of a refactor.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as api from '../src/index.ts';

test('the public API exports exactly these names', () => {
  assert.deepEqual(Object.keys(api).sort(), [
    'ConfigError',
    'ExtractError',
    'FetchError',
    'NewsmirrorError',
    'PublishError',
    'configSchema',
    'createHttpClient',
    'createLogger',
    'extractArticle',
    'loadConfig',
    'openSqliteStore',
    'parseConfigText',
    'rebuildMirror',
    'recoverStore',
    'runMirror',
  ]);
});
