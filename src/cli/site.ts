// `newsmirror site -c FILE [--out DIR]`: the mirror as a static HTML site (steps/build-site.ts) with its search page
// (steps/build-search.ts).
import { relative } from 'node:path';
import { loadConfig } from '../config/load.ts';
import { ConfigError, errorMessage, NewsmirrorError } from '../internal/errors.ts';
import { buildSearch } from '../pipeline/steps/build-search.ts';
import { buildSite } from '../pipeline/steps/build-site.ts';
import { openStore, storeExists } from '../store/index.ts';

export { buildSite } from '../pipeline/steps/build-site.ts';

export async function siteCommand(options: {
  config: string;
  out?: string;
  force?: boolean;
}): Promise<number> {
  const loaded = loadConfig(options.config);
  try {
    // The store gives each page its article's language; a mirror copied without it still builds.
    const store = storeExists(loaded) ? await openStore(loaded) : undefined;
    const built = async () => {
      const site = await buildSite({ loaded, out: options.out, force: options.force, store });
      // The search index is made from the store's articles; without the store the site has no search page.
      return { site, search: store ? await buildSearch({ loaded, store, outDir: site.outDir }) : undefined };
    };
    const { site: summary, search } = await built().finally(() => store?.close());
    for (const conflict of summary.conflicts) {
      process.stderr.write(`site: left out ${conflict}: another file of the mirror has the same HTML path\n`);
    }
    const where = relative(process.cwd(), summary.outDir) || '.';
    process.stdout.write(
      `site: ${summary.pages} pages (${summary.rendered} rendered, ${summary.upToDate} files up to date), ` +
        `${summary.copied} files copied, ${summary.written} written (${(summary.bytesWritten / 1024).toFixed(1)} KB)` +
        `${summary.removed > 0 ? `, ${summary.removed} removed` : ''} -> ${where}\n`,
    );
    if (search) {
      process.stdout.write(
        `site: search over ${search.documents} articles (${search.reindexed} indexed this time, ` +
          `${search.shards} index shards, ${search.shardsWritten} rewritten, ` +
          `${(search.indexBytes / 1024).toFixed(1)} KB) -> ${where}/search.html\n`,
      );
    } else {
      process.stderr.write('site: no store beside the config, so no search page\n');
    }
    return 0;
  } catch (error) {
    process.stderr.write(`newsmirror site: ${errorMessage(error)}\n`);
    // A bad --out is a usage error (2, as the README says); anything else failed while building (1).
    const usage =
      error instanceof ConfigError || (error instanceof NewsmirrorError && error.code === 'unsafe_path');
    return usage ? 2 : 1;
  }
}
