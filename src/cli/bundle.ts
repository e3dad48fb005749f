// `newsmirror bundle -c FILE --format epub|html [--channel ID] [--since DATE] [--until DATE] --out PATH`: articles
// of a period as one EPUB book or single-file HTML, for readers who pass news on by file (steps/write-bundle.ts).
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { loadConfig } from '../config/load.ts';
import { ConfigError } from '../internal/errors.ts';
import { type BundleFormat, writeBundle } from '../pipeline/steps/write-bundle.ts';
import { openSqliteStore } from '../store/index.ts';

export interface BundleCommandOptions {
  config: string;
  format: string;
  out: string;
  channel?: string;
  since?: string;
  until?: string;
}

export async function bundleCommand(options: BundleCommandOptions): Promise<number> {
  const format = options.format as BundleFormat;
  if (format !== 'epub' && format !== 'html') usage(`--format must be epub or html, not "${options.format}"`);
  for (const [name, value] of [
    ['--since', options.since],
    ['--until', options.until],
  ] as const) {
    if (value !== undefined && !isDay(value)) usage(`${name} must be a day as YYYY-MM-DD, not "${value}"`);
  }
  if (options.since && options.until && options.since > options.until) usage('--since is after --until');
  const loaded = loadConfig(options.config);
  // Bundles are made from the store (the extracted articles); a mirror copied without it has nothing to read.
  if (!existsSync(loaded.storePath)) usage(`no store at ${loaded.storePath}: run \`newsmirror run\` first`);
  const store = await openSqliteStore(loaded.storePath);
  try {
    const summary = await writeBundle({ ...options, loaded, store, format });
    const where = summary.files.length === 1 ? relative(process.cwd(), summary.files[0]) : options.out;
    process.stdout.write(
      `bundle: ${summary.articles} articles, ${summary.images} images, ${summary.files.length} ` +
        `file${summary.files.length === 1 ? '' : 's'} (${(summary.bytes / 1024).toFixed(1)} KB) -> ${where}\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

function isDay(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

function usage(message: string): never {
  throw new ConfigError(`bundle: ${message}`, { code: 'usage', retryable: false });
}
