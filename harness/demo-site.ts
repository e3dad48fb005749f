// Serves the bundled demo news site (demo/site) on 127.0.0.1, filling in the server's own origin in the files
// that carry absolute links (the manifest lists them), and gives the demo config for that origin. Used by the
// tests, `npm run demo` and the kill test; the site itself is made by demo-site/generate.ts.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_DIR, type DemoManifest, loadDemoManifest } from './demo-site/manifest.ts';
import { type FixtureServer, startFixtureServer } from './fixture-server.ts';

export { DEMO_DIR, type DemoManifest };

export interface DemoSite {
  server: FixtureServer;
  /** Folder served; a copy when `copy` was asked for, so a test may edit pages. */
  root: string;
  manifest: DemoManifest;
  /** demo/newsmirror.yaml with this server's origin filled in. */
  configText: string;
}

export async function serveDemoSite(options: { copy?: boolean; port?: number } = {}): Promise<DemoSite> {
  const manifest = loadDemoManifest();
  let root = join(DEMO_DIR, 'site');
  if (options.copy) {
    const copy = join(mkdtempSync(join(tmpdir(), 'newsmirror-site-')), 'site');
    cpSync(root, copy, { recursive: true });
    root = copy;
  }
  const server = await startFixtureServer({ root, port: options.port });
  for (const path of manifest.originTemplated) {
    server.route(path, (_req, res) => {
      const text = readFileSync(join(root, path), 'utf8').replaceAll(
        manifest.originPlaceholder,
        server.origin,
      );
      res.writeHead(200, {
        'Content-Type': path.endsWith('.xml') ? 'application/rss+xml; charset=utf-8' : 'text/html',
      });
      res.end(text);
    });
  }
  const configText = readFileSync(join(DEMO_DIR, 'newsmirror.yaml'), 'utf8').replaceAll(
    manifest.originPlaceholder,
    server.origin,
  );
  return { server, root, manifest, configText };
}

/**
 * Adds a copy of a demo article under a new id and title at the top of the first listing channel (`copy: true`
 * sites only); returns the page path it will have in the mirror.
 */
export function addDemoArticle(site: DemoSite, id: string, title: string): string {
  const template = '/gb/23/10/16/n14097688.htm';
  const html = readFileSync(join(site.root, template), 'utf8')
    .replaceAll('n14097688', id)
    .replace(/<h1 class="title">[^<]+<\/h1>/, `<h1 class="title">${title}</h1>`);
  writeFileSync(join(site.root, `/gb/23/10/16/${id}.htm`), html);
  const listing = join(site.root, '/gb/ncid1078159.htm');
  writeFileSync(
    listing,
    readFileSync(listing, 'utf8').replace(
      '<div class="post_list"><ul>',
      `<div class="post_list"><ul><li><div class="title"><a href="/gb/23/10/16/${id}.htm">${title}</a></div></li>`,
    ),
  );
  return `pages/ncid1078159/${id}.md`;
}
