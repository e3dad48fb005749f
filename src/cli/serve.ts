// `newsmirror serve -c FILE [--port N] [--host H]`: the view counter, the stats page and the preview of the mirror,
// until SIGTERM or SIGINT; then the pending counts are written and it exits 0.
import { loadConfig } from '../config/load.ts';
import { ConfigError } from '../internal/errors.ts';
import { createLogger } from '../internal/log.ts';
import { startServer } from '../server/index.ts';
import { openStore } from '../store/index.ts';

export async function serveCommand(options: {
  config: string;
  port?: number;
  host?: string;
}): Promise<number> {
  const port = options.port === undefined ? undefined : Number(options.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65_535)) {
    throw new ConfigError(`serve: --port ${options.port} is not a port number (0-65535)`, {
      code: 'bad_port',
      where: '--port',
      retryable: false,
    });
  }
  const loaded = loadConfig(options.config);
  const log = createLogger();
  const store = await openStore(loaded);
  try {
    const server = await startServer({
      store,
      mirrorDir: loaded.mirrorDir,
      mirrorTitle: loaded.config.mirror.title,
      counterUrl: loaded.config.mirror.counter,
      host: options.host,
      port,
      log,
    });
    const counterNote = server.counterRoute
      ? `counter at ${server.counterRoute.prefix}{path}${server.counterRoute.suffix}`
      : 'no counter (mirror.counter is not set)';
    log.info(
      `serve: listening on ${server.url} (preview at ${server.previewBase}, stats at /stats, ${counterNote})`,
    );
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
    });
    log.info(`serve: ${signal}, writing pending counts and stopping`);
    await server.close();
    return 0;
  } finally {
    await store.close();
  }
}
