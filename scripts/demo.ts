// `npm run demo`: serves the bundled demo news site on 127.0.0.1, mirrors it into demo/out/mirror (a git repository
// pushed to the bare remote demo/out/remote.git), prints the summary and where the mirror is, then exits.
// Starts fresh every time so the figures describe a first run; pass --keep to run incrementally over the last output.
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { serveDemoSite } from '../harness/demo-site.ts';
import { formatSummary } from '../src/cli/run.ts';
import { parseConfigText } from '../src/config/load.ts';
import { createLogger } from '../src/internal/log.ts';
import { createHttpClient } from '../src/pipeline/fetch/client.ts';
import { runMirror } from '../src/pipeline/run.ts';
import { openSqliteStore } from '../src/store/index.ts';

const demoDir = 'demo';
const outDir = join(demoDir, 'out');
const keep = process.argv.includes('--keep');
if (!keep) rmSync(outDir, { recursive: true, force: true });

const { server, configText } = await serveDemoSite({ port: keep ? demoPort() : 0 });
try {
  const loaded = parseConfigText(configText, join(demoDir, 'newsmirror.yaml'), demoDir);
  loaded.storePath = join(outDir, 'store.sqlite');
  for (const remote of loaded.config.mirror.remotes) {
    if (typeof remote === 'object' && !existsSync(remote.url)) {
      execFileSync('git', [
        'init',
        '--quiet',
        '--bare',
        '--initial-branch',
        loaded.config.mirror.branch,
        remote.url,
      ]);
    }
  }
  const store = await openSqliteStore(loaded.storePath);
  const http = createHttpClient(loaded.config.fetch);
  try {
    const summary = await runMirror({ loaded, store, http, log: createLogger({ level: 'warn' }) });
    const articles = summary.new + summary.updated;
    console.log(formatSummary(summary, relative(process.cwd(), loaded.mirrorDir)));
    console.log(
      `demo: ${articles} articles from ${server.requests.length} requests in ${summary.seconds.toFixed(2)} s; ` +
        `${(summary.bytesWritten.pages / 1024).toFixed(1)} KB of pages, ` +
        `${(summary.bytesWritten.images / 1024).toFixed(1)} KB of images, ` +
        `${(summary.bytesWritten.other / 1024).toFixed(1)} KB of indexes and feeds written`,
    );
    console.log(
      `mirror: ${relative(process.cwd(), loaded.mirrorDir)}  (open README.md there; pushed to ${outDir}/remote.git)`,
    );
    process.exitCode = summary.failed > 0 ? 1 : 0;
  } finally {
    await http.close();
    await store.close();
  }
} finally {
  await server.close();
}

/** With --keep the site must keep its URLs between runs, so it needs a fixed port. */
function demoPort(): number {
  return Number(process.env.NEWSMIRROR_DEMO_PORT ?? 8642);
}
