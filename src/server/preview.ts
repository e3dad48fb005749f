// The preview: the mirror's files as the git host shows them. Markdown is rendered with GitHub's rules and
// sanitising, folders list their entries and render their README.md, other files are served with their content type.
// Every path goes through `mirrorPathOf` and `resolveInsideMirror`: nothing outside the mirror, nothing hidden.
import { createReadStream } from 'node:fs';
import { opendir, readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import { MIRROR_LAYOUT } from '../internal/mirror-layout.ts';
import { renderGithubMarkdown } from './github-markdown.ts';
import { escapeHtml, htmlPage, PAGE_SECURITY_POLICY, previewHref } from './html.ts';
import { mirrorPathOf, resolveInsideMirror } from './mirror-paths.ts';

/** Markdown files above this are shown as a notice, not rendered: GitHub itself stops rendering around 0.5-1 MB. */
const MAX_RENDERED_MARKDOWN_BYTES = 1024 * 1024;

/** Entries listed per folder; pages/<channel>/ can hold thousands and the listing is only an aid. */
const MAX_LISTED_ENTRIES = 1_000;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mp3': 'audio/mpeg',
  '.pdf': 'application/pdf',
  '.xml': 'application/xml; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  // Like the host's raw view: HTML, CSS and scripts in the mirror are shown as source, never run.
  '.html': 'text/plain; charset=utf-8',
  '.htm': 'text/plain; charset=utf-8',
  '.css': 'text/plain; charset=utf-8',
  '.js': 'text/plain; charset=utf-8',
};

/** Raw files may be SVG with scripts: a sandboxed policy keeps them inert, as a raw file host does. */
const RAW_FILE_SECURITY_POLICY =
  "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox";

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

export interface PreviewContext {
  /** Real path of the mirror folder (after `realpath`). */
  mirrorRoot: string;
  mirrorTitle: string;
  /** URL path the preview is mounted at, ending in '/'. */
  previewBase: string;
  /** Images on the counter are left out of previews (see `renderGithubMarkdown`). */
  counterUrlPrefix?: string;
}

const baseHeaders = (contentType: string, policy: string): Record<string, string> => ({
  'Content-Type': contentType,
  'Cache-Control': 'no-cache',
  'Content-Security-Policy': policy,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
});

function notFound(): Response {
  return new Response('not found\n', {
    status: 404,
    headers: baseHeaders('text/plain; charset=utf-8', PAGE_SECURITY_POLICY),
  });
}

/**
 * Answers a preview request. `rawPath` is the URL path after the preview base, percent-encoded, starting with '/'.
 * `raw` asks for a Markdown file's source.
 */
export async function previewResponse(
  context: PreviewContext,
  rawPath: string,
  options: { raw: boolean; head: boolean },
): Promise<Response> {
  const path = mirrorPathOf(rawPath);
  if (path === undefined) {
    return new Response('bad path\n', {
      status: 400,
      headers: baseHeaders('text/plain; charset=utf-8', PAGE_SECURITY_POLICY),
    });
  }
  const file = await resolveInsideMirror(context.mirrorRoot, path);
  if (file === undefined) return notFound();
  const info = await stat(file).catch(() => undefined);
  if (info === undefined) return notFound();

  if (info.isDirectory()) {
    if (path !== '' && !path.endsWith('/')) {
      // Relative links inside the folder's README resolve against the folder only with the trailing slash.
      return new Response(null, {
        status: 301,
        headers: { Location: previewHref(context.previewBase, `${path}/`) },
      });
    }
    return htmlResponse(await folderPage(context, path, file), options.head);
  }
  if (!info.isFile()) return notFound();

  if (path.endsWith('.md') && !options.raw) {
    const body =
      info.size > MAX_RENDERED_MARKDOWN_BYTES
        ? `<p>This file is ${info.size} bytes; the git host does not render Markdown this large. <a href="?raw=1">Raw</a></p>`
        : `<article class="markdown-body">${renderGithubMarkdown(await readFile(file, 'utf8'), {
            dropImagesStartingWith: context.counterUrlPrefix,
          })}</article>`;
    return htmlResponse(
      htmlPage({ title: `${path} · ${context.mirrorTitle}`, header: breadcrumbs(context, path), body }),
      options.head,
    );
  }

  const headers = baseHeaders(contentTypeOf(path), RAW_FILE_SECURITY_POLICY);
  headers['Content-Length'] = String(info.size);
  if (options.head) return new Response(null, { status: 200, headers });
  const stream = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
  return new Response(stream, { status: 200, headers });
}

function htmlResponse(html: string, head: boolean): Response {
  return new Response(head ? null : html, {
    status: 200,
    headers: baseHeaders('text/html; charset=utf-8', PAGE_SECURITY_POLICY),
  });
}

function breadcrumbs(context: PreviewContext, path: string): string {
  const parts = [`<a href="${escapeHtml(context.previewBase)}">${escapeHtml(context.mirrorTitle)}</a>`];
  const segments = path.split('/').filter(Boolean);
  segments.forEach((segment, index) => {
    const isLast = index === segments.length - 1;
    const target = segments.slice(0, index + 1).join('/') + (isLast && !path.endsWith('/') ? '' : '/');
    parts.push(
      isLast
        ? `<strong>${escapeHtml(segment)}</strong>`
        : `<a href="${escapeHtml(previewHref(context.previewBase, target))}">${escapeHtml(segment)}</a>`,
    );
  });
  return `${parts.join(' / ')} · <a href="/stats">Stats</a>`;
}

async function folderPage(context: PreviewContext, path: string, folder: string): Promise<string> {
  const names: Array<{ name: string; folder: boolean }> = [];
  let more = false;
  for await (const entry of await opendir(folder)) {
    if (entry.name.startsWith('.')) continue;
    if (names.length >= MAX_LISTED_ENTRIES) {
      more = true;
      break;
    }
    names.push({ name: entry.name, folder: entry.isDirectory() });
  }
  names.sort((a, b) => Number(b.folder) - Number(a.folder) || a.name.localeCompare(b.name));
  const items = names.map(
    ({ name, folder: isFolder }) =>
      `<li><a href="${escapeHtml(encodeURIComponent(name) + (isFolder ? '/' : ''))}">${escapeHtml(name)}${isFolder ? '/' : ''}</a></li>`,
  );
  if (more) items.push(`<li>… (only the first ${MAX_LISTED_ENTRIES} entries are listed)</li>`);
  let readme = '';
  const readmeFile = await resolveInsideMirror(context.mirrorRoot, `${path}${MIRROR_LAYOUT.home}`);
  if (readmeFile !== undefined) {
    const size = (await stat(readmeFile)).size;
    if (size <= MAX_RENDERED_MARKDOWN_BYTES) {
      readme = `<article class="markdown-body">${renderGithubMarkdown(await readFile(readmeFile, 'utf8'), {
        dropImagesStartingWith: context.counterUrlPrefix,
      })}</article>`;
    }
  }
  return htmlPage({
    title: `${path || '/'} · ${context.mirrorTitle}`,
    header: breadcrumbs(context, path),
    body: `<ul class="listing">${items.join('\n')}</ul>\n${readme}`,
  });
}
