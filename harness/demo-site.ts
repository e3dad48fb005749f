// Serves the bundled demo news site (demo/site) on 127.0.0.1, filling in the server's own origin in the files
// that carry absolute links (the manifest lists them), and gives the demo config for that origin. Used by the
// tests, `npm run demo` and the kill test; the site itself is made by demo-site/generate.ts.
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
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
