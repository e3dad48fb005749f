// Where the mirror, the store and local remotes may be, checked when the config loads (before anything is written):
// the mirror is a git repository that newsmirror commits whole after an interrupted run, and pushes.
import { existsSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, parse, relative, resolve, sep } from 'node:path';
import { ConfigError } from '../internal/errors.ts';
import type { Config } from './options.ts';

interface Placed {
  config: Config;
  file: string;
  baseDir: string;
  mirrorDir: string;
  storePath: string;
}

/** Refuses a mirror folder that would commit (and push) what is not the mirror's, and a store it would publish. */
export function checkPlacement(loaded: Placed): void {
  const mirror = realPath(loaded.mirrorDir);
  const refuse = (field: string, why: string) =>
    new ConfigError(`config: ${loaded.file}: ${field}: ${why}`, {
      code: 'config_unsafe_path',
      where: loaded.file,
      retryable: false,
    });
  const home = realPath(homedir());
  if (mirror === parse(mirror).root || contains(mirror, home)) {
    throw refuse(
      'mirror.dir',
      `${loaded.mirrorDir} is ${mirror === parse(mirror).root ? 'the root folder' : 'the home folder or holds it'}: ` +
        'newsmirror would make it a git repository, commit everything in it and push it; use a folder of its own, ' +
        'such as ./mirror beside the config',
    );
  }
  // The GitHub Actions layout keeps the config at the root of the mirror's repository: fine where that repository
  // exists already (the operator made it), not where newsmirror would turn the config's folder into one.
  const configFolder = realPath(loaded.baseDir);
  if (contains(mirror, configFolder) && !existsSync(join(mirror, '.git'))) {
    throw refuse(
      'mirror.dir',
      `${loaded.mirrorDir} holds the config's own folder ${loaded.baseDir}, and is no git repository: newsmirror ` +
        'would make it one and commit everything in it, this config included; use a folder of its own, such as ' +
        "./mirror, or, to keep the config in the mirror's repository (as on GitHub Actions), run `git init` " +
        'there first',
    );
  }
  if (loaded.config.store.url === undefined) {
    const inside = relative(mirror, realPath(loaded.storePath));
    const segments = inside.split(sep);
    // Git never gets the store (.git/info/exclude), but the static site and the preview show every file whose path
    // has no dot-folder: the store's view counts are private.
    if (isInside(inside) && !segments.slice(0, -1).some((part) => part.startsWith('.'))) {
      throw refuse(
        'store.path',
        `${loaded.storePath} is inside the mirror ${loaded.mirrorDir}, where the static site and the preview ` +
          'would publish it; keep it outside, or in a dot-folder such as .newsmirror/store.sqlite',
      );
    }
  }
  loaded.config.mirror.remotes.forEach((remote, index) => {
    const path = localRemotePath(typeof remote === 'string' ? remote : remote.url, loaded.baseDir);
    if (path === null) return;
    const target = realPath(path);
    if (!contains(mirror, target) && !contains(target, mirror)) return;
    const what =
      target === mirror
        ? 'the mirror itself'
        : contains(mirror, target)
          ? 'inside the mirror'
          : 'a folder holding the mirror';
    throw refuse(
      `mirror.remotes[${index}]`,
      `${path} is ${what} ${loaded.mirrorDir}: a repository on disk must be a folder of its own (e.g. a bare ` +
        'repository made with `git init --bare`)',
    );
  });
}

/** The folder a remote on this machine names (a path, or a file:// URL); null for a remote name or a network URL. */
function localRemotePath(url: string, baseDir: string): string | null {
  if (/^file:\/\//i.test(url)) {
    try {
      return decodeURIComponent(new URL(url).pathname);
    } catch {
      return null;
    }
  }
  if (isAbsolute(url)) return url;
  if (/^\.\.?(\/|$)/.test(url)) return resolve(baseDir, url);
  return null;
}

function isInside(relativePath: string): boolean {
  return relativePath !== '' && !relativePath.startsWith('..') && !isAbsolute(relativePath);
}

/** true when `inner` is `outer` or lies inside it. */
function contains(outer: string, inner: string): boolean {
  return inner === outer || isInside(relative(outer, inner));
}

/** The real path (symbolic links resolved) of `path`, or of its nearest existing ancestor plus the rest. */
function realPath(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    const parent = dirname(absolute);
    return parent === absolute ? absolute : join(realPath(parent), basename(absolute));
  }
}
