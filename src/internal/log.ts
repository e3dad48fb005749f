// A small logger: readable lines on stderr for people (cron mail, terminals), JSON lines with --log-json for machines.
// stdout stays free for command output (summaries, extract results).

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface LoggerOptions {
  level?: LogLevel;
  json?: boolean;
  write?: (line: string) => void;
}

/**
 * Messages carry text from pages and feeds (titles, URLs, server error text). Control characters in it could drive
 * the reader's terminal (ESC/CSI sequences recolour, hide or rewrite lines), start forged log lines (CR, LF) or
 * reorder what is shown (bidi overrides): C0, DEL, C1, line/paragraph separators and bidi controls are written as
 * visible escapes instead.
 */
const UNSAFE_IN_TEXT = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** JSON.stringify already escapes C0; the others are valid JSON yet reach a terminal raw through `jq -r` or `tail`. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every character a terminal would act on written as a visible escape (`\x1b`, `\u202e`). */
export function inert(text: string): string {
  return text.replace(UNSAFE_IN_TEXT, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = RANK[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const emit = (level: Exclude<LogLevel, 'silent'>, message: string, fields?: LogFields): void => {
    if (RANK[level] < threshold) return;
    if (options.json) {
      const line = JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields });
      write(line.replace(UNSAFE_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`));
      return;
    }
    const extra = fields
      ? Object.entries(fields)
          .filter(([, value]) => value !== undefined)
          .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
          .join(' ')
      : '';
    write(inert(`${level.padEnd(5)} ${message}${extra ? ` ${extra}` : ''}`));
  };
  return {
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
  };
}

export const silentLogger: Logger = createLogger({ level: 'silent' });
