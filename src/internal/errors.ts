// Errors grouped by what the caller should do next: every one says what failed, where (url or path),
// and whether trying again later can help (`retryable`). `code` is a stable key for logs and tests.

export interface ErrorDetails {
  /** Stable machine-readable key, e.g. 'http_404', 'timeout', 'no_body'. */
  code: string;
  /** The URL or path the error is about. */
  where?: string;
  /** true when the same work may succeed on a later attempt or run. */
  retryable: boolean;
  cause?: unknown;
}

export class NewsmirrorError extends Error {
  readonly code: string;
  readonly where?: string;
  readonly retryable: boolean;

  constructor(message: string, details: ErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = details.code;
    this.where = details.where;
    this.retryable = details.retryable;
  }
}

/** A request failed (network, status, size, charset). The pipeline records it and retries next run if retryable. */
export class FetchError extends NewsmirrorError {}

/** A page could not be turned into an article. Not retryable unless the page changes. */
export class ExtractError extends NewsmirrorError {}

/** Writing, committing or pushing the mirror failed. Push failures are retried by the next run. */
export class PublishError extends NewsmirrorError {}

/** The config file or command line is wrong; exit code 2. `where` is "file:line" when known. */
export class ConfigError extends NewsmirrorError {}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
