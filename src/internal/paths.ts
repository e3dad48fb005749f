// Links inside the mirror are relative to the file being written, so forks and copies work unchanged.
import { posix } from 'node:path';

/**
 * Link from the file `fromFile` to `toPath`, both relative to the mirror root with '/' separators. An absolute URL
 * (a page moved to the archive repository) is returned as it is.
 */
export function relativeLink(fromFile: string, toPath: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(toPath)) return toPath;
  const relative = posix.relative(posix.dirname(posix.normalize(fromFile)), posix.normalize(toPath));
  if (relative === '') return toPath.endsWith('/') || toPath === '.' ? '.' : posix.basename(toPath);
  return relative;
}

/** The inverse of relativeLink: the mirror-root path a page's relative reference points at; undefined for URLs, anchors and paths outside. */
export function mirrorPathOf(pagePath: string, href: string): string | undefined {
  if (href === '' || href.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) {
    return undefined;
  }
  const bare = href.replace(/[?#].*$/s, '');
  let decoded: string;
  try {
    decoded = decodeURI(bare);
  } catch {
    return undefined;
  }
  const path = posix.normalize(posix.join(posix.dirname(pagePath), decoded));
  return path.startsWith('../') || path.startsWith('/') || path === '..' ? undefined : path;
}
