// Links inside the mirror are relative to the file being written, so forks and copies work unchanged.
import { relativeLink } from '../../internal/paths.ts';

export { relativeLink };

export function isAbsoluteUrl(href: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//');
}

/** Add `query` (e.g. an article id or cache buster) to a link, before its fragment. */
export function withQuery(href: string, query: string): string {
  const hashAt = href.indexOf('#');
  const path = hashAt === -1 ? href : href.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : href.slice(hashAt);
  return `${path}${path.includes('?') ? '&' : '?'}${query}${fragment}`;
}

/**
 * A link from config (relative to the mirror root, or absolute) as seen from `fromFile`, with `query`
 * added; `{id}` in the href is replaced by `query` instead.
 */
export function configHref(href: string, fromFile: string, query: string): string {
  const hasPlaceholder = href.includes('{id}');
  const filled = href.replaceAll('{id}', encodeURIComponent(query));
  let target = filled;
  if (!isAbsoluteUrl(filled)) {
    const split = filled.search(/[?#]/);
    const path = split === -1 ? filled : filled.slice(0, split);
    const rest = split === -1 ? '' : filled.slice(split);
    target = relativeLink(fromFile, path === '' ? '.' : path) + rest;
  }
  return hasPlaceholder ? target : withQuery(target, query);
}

/** The public URL of a mirror file: `publicUrl` (a folder) + its path. */
export function publicUrlOf(publicUrl: string, path: string): string {
  return new URL(path, publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`).href;
}
