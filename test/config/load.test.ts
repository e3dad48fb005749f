import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { STARTER_CONFIG } from '../../src/cli/init.ts';
import { configJsonSchema } from '../../src/config/json-schema.ts';
import { loadConfig, parseConfigText } from '../../src/config/load.ts';
import { ConfigError } from '../../src/internal/errors.ts';

const VALID = `mirror:
  title: 镜像
  dir: out/mirror
sites:
  - id: epochtimes
    name: 大纪元
    base: https://www.epochtimes.com
    articleId: '/(n\\d+)\\.htm$'
    channels:
      - { id: china, title: 中国, feed: https://www.epochtimes.com/gb/china.xml }
`;

function errorOf(text: string): ConfigError {
  try {
    parseConfigText(text, 'newsmirror.yaml', tmpdir());
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${error}`);
    return error;
  }
  assert.fail('config was accepted');
}

describe('config', () => {
  test('a valid config gets defaults and absolute paths resolved against its folder', () => {
    const loaded = parseConfigText(VALID, 'newsmirror.yaml', '/srv/news');
    assert.equal(loaded.config.mirror.links, 'mirror');
    assert.equal(loaded.config.mirror.indexPageSize, 30);
    assert.equal(loaded.config.sites[0].channels[0].limit, 50);
    assert.equal(loaded.mirrorDir, join('/srv/news', 'out/mirror'));
    assert.equal(loaded.storePath, join('/srv/news', '.newsmirror', 'store.sqlite'));
  });

  test('a wrong value names the file, the line and the field', () => {
    const error = errorOf(VALID.replace('title: 镜像', 'title: 镜像\n  links: sometimes'));
    assert.match(error.message, /newsmirror\.yaml:3: mirror\.links: .*"mirror"\|"inert"\|"keep"/);
  });

  test('an unknown field, a bad URL and a channel without a source are each reported on their line', () => {
    const text = VALID.replace('dir: out/mirror', 'dir: out/mirror\n  colour: red').replace(
      'feed: https://www.epochtimes.com/gb/china.xml',
      'feed: not a url',
    );
    const withBareChannel = `${text}      - { id: world, title: 国际 }\n`;
    const error = errorOf(withBareChannel);
    assert.match(error.message, /newsmirror\.yaml:2: mirror: unknown field\(s\) "colour"/);
    assert.match(error.message, /newsmirror\.yaml:11: sites\[0\]\.channels\[0\]\.feed: Invalid URL/);
    assert.match(
      error.message,
      /newsmirror\.yaml:12: sites\[0\]\.channels\[1\]: a channel needs exactly one of/,
    );
  });

  test('an unknown field that is a typo of a known one gets a "did you mean"', () => {
    const text = VALID.replace('dir: out/mirror', 'dir: out/mirror\n  titel: x')
      .replace('channels:', 'cookie: { consent: yes }\n    channels:')
      .replace(
        'feed: https://www.epochtimes.com/gb/china.xml',
        'feed: https://www.epochtimes.com/gb/china.xml, limt: 5',
      );
    const error = errorOf(`${text}fetch:\n  userAgnet: x\n  colour: red\n`);
    assert.match(error.message, /mirror: unknown field\(s\) "titel" \(did you mean "title"\?\)/);
    assert.match(error.message, /sites\[0\]: unknown field\(s\) "cookie" \(did you mean "cookies"\?\)/);
    assert.match(
      error.message,
      /sites\[0\]\.channels\[0\]: unknown field\(s\) "limt" \(did you mean "limit"\?\)/,
    );
    // Far from every known field: no guess.
    assert.match(
      error.message,
      /fetch: unknown field\(s\) "userAgnet" \(did you mean "userAgent"\?\), "colour"\n|fetch: unknown field\(s\) "userAgnet" \(did you mean "userAgent"\?\), "colour"$/,
    );
  });

  test('YAML syntax errors name the line', () => {
    const error = errorOf('mirror:\n  title: [unclosed\nsites: []\n');
    assert.match(error.message, /^newsmirror\.yaml:\d+: YAML syntax error/);
    assert.equal(error.code, 'config_syntax');
  });

  test('a duplicate channel id is refused', () => {
    const error = errorOf(
      `${VALID}      - { id: china, title: again, feed: https://www.epochtimes.com/gb/x.xml }\n`,
    );
    assert.match(error.message, /channels\[1\]\.id: channel id "china" is used twice/);
  });

  test('an invalid articleId pattern is refused', () => {
    const error = errorOf(VALID.replace("'/(n\\d+)\\.htm$'", "'/(n\\d+'"));
    assert.match(error.message, /newsmirror\.yaml:8: sites\[0\]\.articleId: not a valid regular expression/);
  });

  test('a missing file is a config error naming it', () => {
    assert.throws(
      () => loadConfig(join(tmpdir(), 'no-such-newsmirror.yaml')),
      /cannot read .*no-such-newsmirror\.yaml/,
    );
  });

  test('the starter config written by init validates as written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nm-init-'));
    writeFileSync(join(dir, 'newsmirror.yaml'), STARTER_CONFIG);
    const loaded = loadConfig(join(dir, 'newsmirror.yaml'));
    assert.equal(loaded.config.sites[0].id, 'example');
    assert.equal(loaded.config.sites[0].articleId, '/(\\d+)\\.html$');
  });

  test('schema/newsmirror.schema.json is up to date (regenerate: node bin/run-ts.js scripts/gen-schema.ts)', () => {
    const committed = JSON.parse(readFileSync('schema/newsmirror.schema.json', 'utf8'));
    assert.deepEqual(committed, JSON.parse(JSON.stringify(configJsonSchema())));
  });
});
