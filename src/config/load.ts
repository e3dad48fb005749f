// Reads newsmirror.yaml: YAML syntax errors and schema errors both name the file, line and field at fault.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../internal/errors.ts';
import { type Config, configSchema, DEFAULT_STORE_PATH } from './options.ts';

/** A validated config plus where it came from; relative paths in it are resolved against `baseDir`. */
export interface LoadedConfig {
  config: Config;
  file: string;
  baseDir: string;
  /** Absolute paths derived from the config. */
  mirrorDir: string;
  storePath: string;
}

export function loadConfig(file: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`config: cannot read ${file}: ${(error as Error).message}`, {
      code: 'config_unreadable',
      where: file,
      retryable: false,
    });
  }
  return parseConfigText(text, file, dirname(resolve(file)));
}

/** Parse config text; `file` is only used in messages, `baseDir` resolves relative paths. */
export function parseConfigText(text: string, file: string, baseDir: string): LoadedConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    const first = document.errors[0];
    const line = lineCounter.linePos(first.pos[0]).line;
    throw new ConfigError(`${file}:${line}: YAML syntax error: ${first.message.split('\n')[0]}`, {
      code: 'config_syntax',
      where: `${file}:${line}`,
      retryable: false,
    });
  }
  const result = configSchema.safeParse(document.toJS());
  if (!result.success) {
    const lines = result.error.issues.map((issue) => describeIssue(issue, document, lineCounter, file));
    throw new ConfigError(`invalid config:\n${lines.join('\n')}`, {
      code: 'config_invalid',
      where: file,
      retryable: false,
    });
  }
  const config = result.data;
  const mirrorDir = resolvePath(baseDir, config.mirror.dir);
  const storePath = config.store.path
    ? resolvePath(baseDir, config.store.path)
    : resolve(baseDir, DEFAULT_STORE_PATH);
  // A remote given as a relative path means a folder beside the config, not beside the mirror (where git runs).
  const besideConfig = (path: string) => (/^\.\.?\//.test(path) ? resolve(baseDir, path) : path);
  config.mirror.remotes = config.mirror.remotes.map((remote) =>
    typeof remote === 'object' ? { ...remote, url: besideConfig(remote.url) } : besideConfig(remote),
  );
  return { config, file, baseDir, mirrorDir, storePath };
}

function resolvePath(baseDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

type Issue = z.core.$ZodIssue;

function describeIssue(
  issue: Issue,
  document: ReturnType<typeof parseDocument>,
  lineCounter: LineCounter,
  file: string,
): string {
  const path = issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part));
  const field = path.length > 0 ? formatPath(path) : '(top level)';
  const line = lineOf(document, lineCounter, path);
  const location = line === undefined ? file : `${file}:${line}`;
  const message =
    issue.code === 'unrecognized_keys'
      ? `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`
      : issue.message;
  return `  ${location}: ${field}: ${message}`;
}

/** Line of the deepest YAML node that exists along `path` (a missing field points at its parent). */
function lineOf(
  document: ReturnType<typeof parseDocument>,
  lineCounter: LineCounter,
  path: Array<string | number>,
): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? document.contents : document.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}

function formatPath(path: Array<string | number>): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`))
    .join('');
}
