// `newsmirror recover -c FILE`: a lost or damaged store rebuilt from the mirror's pages, indexes, feed and history,
// so the next run goes on where the mirror is (nothing mirrored twice, no page dropped from its index).
// Exit 0: every page recovered and renders back the same; 1: some files skipped or pages would change on a
// rebuild (listed); 3: the store cannot be opened or written.
import { loadConfig } from '../config/load.ts';
import { errorMessage } from '../internal/errors.ts';
import { createLogger, inert } from '../internal/log.ts';
import { recoverStore } from '../pipeline/steps/recover-store.ts';
import { openStore } from '../store/index.ts';
import { EXIT_ARTICLES_FAILED, EXIT_RUN_FAILED } from './run.ts';

export async function recoverCommand(options: { config: string }): Promise<number> {
  const loaded = loadConfig(options.config);
  const log = createLogger();
  const store = await openStore(loaded).catch((error: unknown) => {
    process.stderr.write(`newsmirror recover: ${inert(errorMessage(error))}\n`);
    return null;
  });
  if (store === null) return EXIT_RUN_FAILED;
  try {
    const result = await recoverStore({ loaded, store, log });
    const changed = result.differing.length;
    process.stdout.write(
      `recovered ${result.recovered} articles and ${result.images} images from ${loaded.mirrorDir} into ` +
        `${loaded.storePath}: ${
          result.identical === undefined
            ? 'pages not compared (retention is on)'
            : `${result.identical} pages render back the same, ${changed} would change on a rebuild`
        }, ${result.skipped.length} files skipped\n`,
    );
    for (const { path, reason } of result.skipped) process.stdout.write(`  skipped ${path}: ${reason}\n`);
    for (const { path, line } of result.differing) {
      process.stdout.write(
        `  differs ${path} from line ${line} (kept as it is; \`rebuild\` would rewrite it)\n`,
      );
    }
    return changed > 0 || result.skipped.length > 0 ? EXIT_ARTICLES_FAILED : 0;
  } finally {
    await store.close();
  }
}
