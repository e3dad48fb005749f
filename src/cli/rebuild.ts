// `newsmirror rebuild -c FILE`: re-render every page, index and feed from the store; no fetching.
import { loadConfig } from '../config/load.ts';
import { createLogger } from '../internal/log.ts';
import { rebuildMirror } from '../pipeline/run.ts';
import { openStore } from '../store/index.ts';

export async function rebuildCommand(options: { config: string; commit?: boolean }): Promise<number> {
  const loaded = loadConfig(options.config);
  const log = createLogger();
  const store = await openStore(loaded);
  try {
    const result = await rebuildMirror({ loaded, store, log, commit: options.commit !== false });
    process.stdout.write(
      `rebuilt ${result.pages} pages, ${result.files} files written; commit ${result.commit ?? 'none'}\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}
