// What `newsmirror run` loads at start-up: the libraries only some configs use (the Redis queue, PostgreSQL, image
// re-encoding, EPUB zips, the feed parser) are loaded on first use, not by every run (issue 16: start-up time).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

const OPTIONAL = ['bullmq', 'ioredis', 'pg', 'sharp', 'yazl', 'fast-xml-parser'];

test('the run command loads no optional library until a run needs it', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'newsmirror-loading-'));
  try {
    // ES imports of the libraries fail in the child (a resolve hook); CommonJS requires show in require.cache.
    const hooks = join(scratch, 'hooks.mjs');
    writeFileSync(
      hooks,
      `const optional = new Set(${JSON.stringify(OPTIONAL)});
       export async function resolve(specifier, context, next) {
         if (optional.has(specifier)) throw new Error('imported optional library ' + specifier);
         return next(specifier, context);
       }`,
    );
    const register = join(scratch, 'register.mjs');
    writeFileSync(
      register,
      `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
    );
    const script = `
      import { createRequire } from 'node:module';
      const cache = createRequire(import.meta.url).cache;
      const required = () => ${JSON.stringify(OPTIONAL)}.filter((name) =>
        Object.keys(cache).some((path) => path.includes('/node_modules/' + name + '/')));
      await import('./src/cli/run.ts');
      const atStart = required();
      const { parseXmlDocument } = await import('./src/pipeline/sources/xml.ts');
      parseXmlDocument('<rss><channel/></rss>', 'https://example.org/feed.xml', 'feed');
      const sharp = await import('sharp').then(() => 'loaded', (error) => error.message);
      console.log(JSON.stringify({ atStart, afterFeed: required(), sharp }));`;
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--import', pathToFileURL(register).href, '--input-type=module', '-e', script],
      { encoding: 'utf8' },
    );
    assert.equal(child.status, 0, child.stderr);
    const { atStart, afterFeed, sharp } = JSON.parse(child.stdout);
    assert.deepEqual(atStart, []);
    // Both checks see a library once it is used: the first feed requires the XML parser, and the hook refuses an
    // ES import of sharp (which the run command's modules would have hit at start-up).
    assert.deepEqual(afterFeed, ['fast-xml-parser']);
    assert.equal(sharp, 'imported optional library sharp');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
