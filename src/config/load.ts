// Reads newsmirror.yaml: YAML syntax errors and schema errors both name the file, line and field at fault.
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../internal/errors.ts';
import { configJsonSchema } from './json-schema.ts';
import { type Config, configSchema, DEFAULT_STORE_PATH } from './options.ts';
import { checkPlacement } from './placement.ts';

/** A validated config plus where it came from; relative paths in it are resolved against `baseDir`. */
export interface LoadedConfig {
  config: Config;
  file: string;
  baseDir: string;
  /** Absolute paths derived from the config. */
  mirrorDir: string;
  storePath: string;
}

/** Far above any real config (a thousand sites fit in 1 MB); a bigger file is a mistake, not one to read whole. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** Aliases expanded at most: YAML anchors let a small file expand exponentially (a "billion laughs"). */
const MAX_ALIAS_COUNT = 100;

export function loadConfig(file: string): LoadedConfig {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_CONFIG_BYTES) {
      throw new ConfigError(
        `config: ${file} is ${size} bytes, more than the ${MAX_CONFIG_BYTES} a config may be: is it the right file?`,
        { code: 'config_too_large', where: file, retryable: false },
      );
    }
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
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
  refuseNonText(text, file);
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
  const data = configData(document, file);
  const result = configSchema.safeParse(data);
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
  const archive = config.mirror.archive;
  if (archive) {
    archive.dir = resolvePath(baseDir, archive.dir);
    archive.remotes = archive.remotes.map((remote) =>
      typeof remote === 'object' ? { ...remote, url: besideConfig(remote.url) } : besideConfig(remote),
    );
  }
  const loaded = { config, file, baseDir, mirrorDir, storePath };
  checkPlacement(loaded);
  return loaded;
}

function refusal(file: string, why: string, code = 'config_not_yaml'): ConfigError {
  return new ConfigError(`config: ${file} ${why}`, { code, where: file, retryable: false });
}

/** Text that is no YAML file at all (binary, huge) is refused before the parser spends time on it. */
function refuseNonText(text: string, file: string): void {
  if (text.length > MAX_CONFIG_BYTES) {
    throw refusal(file, `is more than ${MAX_CONFIG_BYTES} bytes`, 'config_too_large');
  }
  // NUL never occurs in YAML text, U+FFFD is what invalid UTF-8 decodes to: an image, an archive, a store.
  if (text.includes('\0') || text.includes('\uFFFD')) {
    throw refusal(file, 'is not a text file (it holds NUL bytes or invalid UTF-8): is it the right file?');
  }
}

/** The document as plain data, refusing what is not a config at all with what it is instead. */
function configData(document: ReturnType<typeof parseDocument>, file: string): unknown {
  const refuse = (why: string, code?: string) => refusal(file, why, code);
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw refuse(
      `cannot be read: ${(error as Error).message} (YAML aliases expand to too much)`,
      'config_syntax',
    );
  }
  if (data === null || data === undefined)
    throw refuse('is empty: a config needs at least mirror: and sites:');
  if (typeof data !== 'object' || Array.isArray(data)) {
    const what = Array.isArray(data) ? 'a list' : `a single ${typeof data}`;
    throw refuse(`holds ${what}, not a config: the top level needs fields such as mirror: and sites:`);
  }
  return data;
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
      ? `unknown field(s) ${issue.keys.map((key) => `"${key}"${didYouMean(key, fieldsAt(path))}`).join(', ')}`
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

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
}

/** The field names the schema allows at `path` (array indexes step into items, unions into their object branch). */
function fieldsAt(path: Array<string | number>): string[] {
  let node: SchemaNode | undefined = configJsonSchema() as SchemaNode;
  for (const part of path) {
    const object: SchemaNode | undefined = node?.properties
      ? node
      : node?.anyOf?.find((branch) => branch.properties);
    node = typeof part === 'number' ? (node?.items ?? object?.items) : object?.properties?.[part];
  }
  const object = node?.properties ? node : node?.anyOf?.find((branch) => branch.properties);
  return Object.keys(object?.properties ?? {});
}

/** ` (did you mean "x"?)` for the closest known field, when it is close enough to be a typo (or differs by case). */
export function didYouMean(unknown: string, known: string[]): string {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(unknown.toLowerCase(), name.toLowerCase());
    if (best === undefined || distance < best.distance) best = { name, distance };
  }
  const allowed = Math.max(1, Math.floor(unknown.length / 3));
  return best !== undefined && best.distance <= allowed ? ` (did you mean "${best.name}"?)` : '';
}

/** Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`: "titel" is one edit from "title". */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => i + j * Number(i === 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}
