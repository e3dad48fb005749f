import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { STARTER_CONFIG } from '../../src/cli/init.ts';
import { configJsonSchema } from '../../src/config/json-schema.ts';
import { loadConfig, MAX_CONFIG_BYTES, parseConfigText } from '../../src/config/load.ts';
import { ConfigError } from '../../src/internal/errors.ts';
import { articleIdFromUrl } from '../../src/internal/ids.ts';

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

// Issue 17, class 7: operator mistakes refused at load, before anything is fetched or written.
describe('config mistakes', () => {
  const folder = () => mkdtempSync(join(tmpdir(), 'nm-config-'));
  const withMirror = (dir: string) => VALID.replace('dir: out/mirror', `dir: '${dir}'`);
  const withArticleId = (pattern: string) => VALID.replace("'/(n\\d+)\\.htm$'", () => `'${pattern}'`);

  test('an articleId that backtracks catastrophically is refused, naming the field', () => {
    for (const pattern of ['/(\\w+)*\\.html$', '^(a+)+$', '/(x|x)*y', '/(\\d+)\\d+\\d+\\d+x']) {
      const error = errorOf(withArticleId(pattern));
      assert.match(
        error.message,
        /newsmirror\.yaml:8: sites\[0\]\.articleId: can take (exponential|polynomial of degree \d \(at most 2 is allowed\)) time on a hostile URL/,
        pattern,
      );
    }
  });

  test('common articleId patterns pass, quadratic ones included (URLs are at most 2,048 characters)', () => {
    for (const pattern of [
      '/(n\\d+)\\.htm$',
      '([a-z0-9-]+)/(\\d+)$',
      '^https?://[^/]+/(?:[^/]+/)*(\\d+)\\.html$',
    ]) {
      parseConfigText(withArticleId(pattern), 'newsmirror.yaml', tmpdir());
    }
    // Quadratic over an unbounded URL is still a stall: `(\d+)\.html` takes about 20 s over 60,000 digits, and
    // ~20 ms over 2,048. A URL past 2,048 characters is never matched.
    const quadratic = '(\\d+)\\.html';
    parseConfigText(withArticleId(quadratic), 'newsmirror.yaml', tmpdir());
    assert.equal(articleIdFromUrl(`https://news.example/${'1'.repeat(60_000)}`, quadratic), null);
    assert.equal(articleIdFromUrl(`https://news.example/${'1'.repeat(1500)}/7.html`, quadratic), '7');
  });

  test('a mirror dir of /, the home folder or one holding it is refused', () => {
    for (const dir of ['/', homedir(), dirname(homedir())]) {
      const error = errorOf(withMirror(dir));
      assert.equal(error.code, 'config_unsafe_path');
      assert.match(error.message, /mirror\.dir: .* is the (root|home) folder/);
    }
  });

  test("a mirror dir that is the config's folder (or holds it) is refused unless it is a git repository", () => {
    const dir = folder();
    for (const mirror of ['.', '..', dir]) {
      const error = (() => {
        try {
          parseConfigText(withMirror(mirror), 'newsmirror.yaml', dir);
        } catch (caught) {
          return caught as ConfigError;
        }
        assert.fail(`mirror ${mirror} was accepted`);
      })();
      assert.match(
        error.message,
        /mirror\.dir: .* holds the config's own folder .* run `git init` there first/,
      );
    }
    // The GitHub Actions layout: the config at the root of the mirror's repository, the store in a dot-folder.
    mkdirSync(join(dir, '.git'));
    const loaded = parseConfigText(withMirror('.'), 'newsmirror.yaml', dir);
    assert.equal(loaded.mirrorDir, dir);
  });

  test('a store inside the mirror is refused unless it sits in a dot-folder (the site and preview skip those)', () => {
    const dir = folder();
    const error = errorOf(`${VALID}store:\n  path: out/mirror/data/store.sqlite\n`);
    assert.match(
      error.message,
      /store\.path: .* is inside the mirror .* keep it outside, or in a dot-folder/,
    );
    const loaded = parseConfigText(
      `${VALID}store:\n  path: out/mirror/.newsmirror/store.sqlite\n`,
      'newsmirror.yaml',
      dir,
    );
    assert.equal(loaded.storePath, join(dir, 'out/mirror/.newsmirror/store.sqlite'));
  });

  test('a remote on disk is allowed, unless it is the mirror, inside it or holding it', () => {
    const dir = folder();
    const remotes = (list: string) => VALID.replace('dir: out/mirror', `dir: out/mirror\n  remotes: ${list}`);
    const loaded = parseConfigText(
      remotes(`[./backup.git, '${join(dir, 'b.git')}', 'file://${join(dir, 'c.git')}', origin]`),
      'newsmirror.yaml',
      dir,
    );
    assert.equal(loaded.config.mirror.remotes[0], join(dir, 'backup.git'));
    for (const [remote, what] of [
      ['./out/mirror', 'the mirror itself'],
      ['./out/mirror/remote.git', 'inside the mirror'],
      [`{ name: up, url: 'file://${join(dir, 'out')}' }`, 'a folder holding the mirror'],
    ]) {
      assert.throws(
        () => parseConfigText(remotes(`[${remote}]`), 'newsmirror.yaml', dir),
        new RegExp(`mirror\\.remotes\\[0\\]: .* is ${what} `),
      );
    }
  });

  test('files that are no config: empty, a list, a string, binary, JSON, a YAML bomb, a huge file', () => {
    assert.match(errorOf('').message, /newsmirror\.yaml is empty/);
    assert.match(errorOf('# only a comment\n').message, /is empty/);
    assert.match(errorOf('- mirror\n- sites\n').message, /holds a list, not a config/);
    assert.match(errorOf('newsmirror\n').message, /holds a single string, not a config/);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0xff, 0xfe]);
    assert.match(errorOf(png.toString('utf8')).message, /is not a text file/);
    assert.match(errorOf('mirror:\n  title: \u0000x\n').message, /is not a text file/);
    // JSON is YAML: a valid one loads, an invalid one names the field.
    const json = JSON.stringify({
      mirror: { title: 'x' },
      sites: [
        {
          id: 's',
          name: 'S',
          base: 'https://s.example',
          channels: [{ id: 'c', title: 'C', feed: 'https://s.example/f' }],
        },
      ],
    });
    assert.equal(parseConfigText(json, 'newsmirror.yaml', tmpdir()).config.sites[0].id, 's');
    assert.match(errorOf(json.replace('"title":"x"', '"titel":"x"')).message, /did you mean "title"/);
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      levels.push(
        `l${i}: &l${i} [${Array(9)
          .fill(i === 1 ? '*a' : `*l${i - 1}`)
          .join(', ')}]`,
      );
    const bomb = errorOf(`${levels.join('\n')}\n`);
    assert.equal(bomb.code, 'config_syntax');
    assert.match(bomb.message, /Excessive alias count/);
    const huge = join(folder(), 'newsmirror.yaml');
    writeFileSync(huge, `${VALID}# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
    assert.throws(() => loadConfig(huge), /newsmirror\.yaml is \d+ bytes, more than the 4194304/);
  });
});

describe('articleId verdicts', () => {
  test('are kept on disk, so the next process does not load the checker again', async () => {
    const { spawnSync } = await import('node:child_process');
    const cache = mkdtempSync(join(tmpdir(), 'nm-verdicts-'));
    const judge = (pattern: string) =>
      spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          '--input-type=module',
          '-e',
          `import { unsafeRegExpReason } from './src/config/regex-safety.ts';
           console.log(JSON.stringify(unsafeRegExpReason(${JSON.stringify(pattern)})));`,
        ],
        { encoding: 'utf8', env: { ...process.env, NEWSMIRROR_CACHE_DIR: cache } },
      );
    const first = judge('/(\\d+)\\.html$');
    assert.equal(first.status, 0, first.stderr);
    assert.equal(JSON.parse(first.stdout), null);
    const file = join(cache, 'regexp-verdicts.json');
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(saved.verdicts['/(\\d+)\\.html$'], null);
    // A verdict only the cache can know proves the second process read it instead of checking again.
    saved.verdicts['/(\\d+)\\.html$'] = 'cached verdict';
    writeFileSync(file, JSON.stringify(saved));
    assert.equal(JSON.parse(judge('/(\\d+)\\.html$').stdout), 'cached verdict');
    writeFileSync(file, 'not json');
    assert.equal(JSON.parse(judge('/(\\d+)\\.html$').stdout), null, 'a broken cache is checked again');
  });
});
