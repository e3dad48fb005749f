import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { serveDemoSite } from './harness/demo-site.ts';
import { startPostgresServer } from './harness/postgres-server.ts';
import { parseConfigText } from './src/config/load.ts';
import { silentLogger } from './src/internal/log.ts';
import { createHttpClient } from './src/pipeline/fetch/client.ts';
import { runMirror } from './src/pipeline/run.ts';
import { openStore } from './src/store/index.ts';

function tree(dir: string, root = dir, out: Record<string, string> = {}) {
  for (const name of readdirSync(dir)) {
    if (name === '.git') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) tree(p, root, out);
    else out[relative(root, p)] = createHash('sha256').update(readFileSync(p)).digest('hex').slice(0, 12);
  }
  return out;
}
const server = await startPostgresServer();
const url = await server.createDatabase();
const results: Record<string, unknown>[] = [];
for (const kind of ['sqlite', 'postgres']) {
  const work = mkdtempSync(join(tmpdir(), 'nm-e2e-'));
  const site = await serveDemoSite({ copy: true });
  const mirrorDir = join(work, 'mirror');
  let text = site.configText.replace('dir: ./out/mirror', `dir: ${JSON.stringify(mirrorDir)}`);
  text = kind === 'sqlite'
    ? text.replace('path: ./out/store.sqlite', `path: ${JSON.stringify(join(work, 'store.sqlite'))}`)
    : text.replace('path: ./out/store.sqlite', `url: ${JSON.stringify(url)}`);
  writeFileSync(join(work, 'c.yaml'), text);
  const loaded = parseConfigText(text, join(work, 'c.yaml'), work);
  const store = await openStore(loaded);
  const http = createHttpClient(loaded.config.fetch, { backoffBaseMs: 10 });
  const t = Date.now();
  const first = await runMirror({ loaded, store, http, log: silentLogger, push: false });
  const ms = Date.now() - t;
  const second = await runMirror({ loaded, store, http, log: silentLogger, push: false });
  const files = tree(mirrorDir);
  results.push({ mirrorDir, kind, ms, first: { new: first.newCount ?? (first as any).new, updated: first.updated, failed: first.failed }, second: { new: second.newCount ?? (second as any).new, updated: second.updated }, files, count: await store.articles.count() });
  await http.close(); await store.close(); await site.server.close();
}
await server.stop();
console.log(JSON.stringify(Object.keys(a.files).filter(k=>a.files[k]!==b.files[k])));
const [a, b] = results as any[];
console.log(a.kind, a.ms, JSON.stringify(a.first), JSON.stringify(a.second), Object.keys(a.files).length, a.count);
console.log(b.kind, b.ms, JSON.stringify(b.first), JSON.stringify(b.second), Object.keys(b.files).length, b.count);
const diff = Object.keys({ ...a.files, ...b.files }).filter((k) => a.files[k] !== b.files[k]);
console.log(a.mirrorDir, b.mirrorDir);console.log('differing files:', diff.length, diff.slice(0, 10));
