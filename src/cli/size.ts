// `newsmirror size -c FILE`: how big the mirror and its history have grown, per folder; with `mirror.archive`, each
// archive repository too.
import { loadConfig } from '../config/load.ts';
import { type MirrorSize, measureMirror } from '../pipeline/publish/size.ts';
import { forArchive } from '../pipeline/render/retention.ts';
import { archiveKeysOnDisk } from '../pipeline/steps/retention.ts';
import { openStore, storeExists } from '../store/index.ts';

export async function sizeCommand(
  options: { config: string },
  write: (text: string) => void = (text) => process.stdout.write(text),
): Promise<number> {
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
  const archive = loaded.config.mirror.archive;
  const archives = archive ? archiveKeysOnDisk(archive, new Date()) : [];
  if (archives.length > 0) write(`${summaryLine('main mirror', size)}\n`);
  writeParts(size, write);
  write(
    `${'total'.padEnd(12)} ${String(size.files).padStart(9)} files ${mb(size.bytes).padStart(11)}; ` +
      `${articles} articles in the store${history(size)}\n`,
  );
  for (const key of archives) {
    const archived = await measureMirror(forArchive(archive!.dir, key));
    write(`\n${summaryLine(`archive ${key}`, archived)}\n`);
    writeParts(archived, write);
  }
  return 0;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function writeParts(size: MirrorSize, write: (text: string) => void): void {
  const rows = Object.entries(size.parts).sort(([, a], [, b]) => b.bytes - a.bytes);
  for (const [part, totals] of rows) {
    write(`${part.padEnd(12)} ${String(totals.files).padStart(9)} files ${mb(totals.bytes).padStart(11)}\n`);
  }
}

function summaryLine(name: string, size: MirrorSize): string {
  const pages = size.parts.pages?.files ?? 0;
  return `${name} (${pages} page files, ${size.files} files, ${mb(size.bytes)}${history(size)})`;
}

function history(size: MirrorSize): string {
  return size.historyBytes !== undefined
    ? `; git history ${mb(size.historyBytes)} in ${size.commits} commits`
    : '';
}
