// `newsmirror site -c FILE [--out DIR]`: the mirror as a static HTML site (steps/build-site.ts).
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { loadConfig } from '../config/load.ts';
import { errorMessage } from '../internal/errors.ts';
import { buildSite } from '../pipeline/steps/build-site.ts';
import { openSqliteStore } from '../store/index.ts';

export { buildSite } from '../pipeline/steps/build-site.ts';

export async function siteCommand(options: {
  config: string;
  out?: string;
  force?: boolean;
}): Promise<number> {
  const loaded = loadConfig(options.config);
  try {
    // The store gives each page its article's language; a mirror copied without it still builds.
    const store = existsSync(loaded.storePath) ? await openSqliteStore(loaded.storePath) : undefined;
    const summary = await buildSite({ loaded, out: options.out, force: options.force, store }).finally(() =>
      store?.close(),
    );
    for (const conflict of summary.conflicts) {
      process.stderr.write(`site: left out ${conflict}: another file of the mirror has the same HTML path\n`);
    }
    const where = relative(process.cwd(), summary.outDir) || '.';
    process.stdout.write(
      `site: ${summary.pages} pages (${summary.rendered} rendered, ${summary.upToDate} files up to date), ` +
        `${summary.copied} files copied, ${summary.written} written (${(summary.bytesWritten / 1024).toFixed(1)} KB)` +
        `${summary.removed > 0 ? `, ${summary.removed} removed` : ''} -> ${where}\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`newsmirror site: ${errorMessage(error)}\n`);
    return 1;
  }
}
