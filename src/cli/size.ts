// `newsmirror size -c FILE`: how big the mirror and its history have grown, per folder.
import { loadConfig } from '../config/load.ts';
import { measureMirror } from '../pipeline/publish/size.ts';
import { openStore, storeExists } from '../store/index.ts';

export async function sizeCommand(options: { config: string }): Promise<number> {
  const loaded = loadConfig(options.config);
  const size = await measureMirror(loaded.mirrorDir);
  // Only read a store that exists: a size report must not create one.
  let articles = 0;
  if (storeExists(loaded)) {
    const store = await openStore(loaded);
    try {
      articles = await store.articles.count();
    } finally {
      await store.close();
    }
  }
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const rows = Object.entries(size.parts).sort(([, a], [, b]) => b.bytes - a.bytes);
  for (const [part, totals] of rows) {
    process.stdout.write(
      `${part.padEnd(12)} ${String(totals.files).padStart(9)} files ${mb(totals.bytes).padStart(11)}\n`,
    );
  }
  process.stdout.write(
    `${'total'.padEnd(12)} ${String(size.files).padStart(9)} files ${mb(size.bytes).padStart(11)}; ` +
      `${articles} articles in the store` +
      (size.historyBytes !== undefined
        ? `; git history ${mb(size.historyBytes)} in ${size.commits} commits`
        : '') +
      '\n',
  );
  return 0;
}
