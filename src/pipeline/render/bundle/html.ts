// Single-file HTML bundles: one article, or a whole channel period with a table of contents, as one HTML file that
// carries its images as data: URIs and its style inline, so it opens from a chat app or a USB stick with no
// request at all. No script; its Content-Security-Policy forbids loading anything from anywhere else.
import { createHash } from 'node:crypto';
import { toHtml } from 'hast-util-to-html';
import { escapeHtml } from '../escape.ts';
import { SITE_STYLESHEET } from '../site/style.ts';
import { bundleBody } from './body.ts';
import {
  bylineOf,
  CONTENTS_LABEL,
  label,
  MIRRORED_AT_LABEL,
  ORIGINAL_LINK_LABEL,
  publicUrlIn,
} from './labels.ts';
import { commonLanguage, directionOf, mirrorPathOf } from './paths.ts';
import type { Bundle, BundleArticle } from './types.ts';

const STYLE = `${SITE_STYLESHEET}.byline, .source { color: var(--muted); font-size: 0.85em; }
figure { margin: 1em 0; }
figcaption { color: var(--muted); font-size: 0.9em; }
article + article { border-top: 2px solid var(--rule); margin-top: 2rem; padding-top: 1rem; }
nav ol { padding-left: 1.25em; }
`;

/** Nothing loads from anywhere: images are data: URIs, the one style is allowed by its hash. */
export function bundleContentSecurityPolicy(style: string): string {
  const hash = createHash('sha256').update(style).digest('base64');
  return [
    "default-src 'none'",
    'img-src data:',
    `style-src 'sha256-${hash}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** One article's file, or (with several articles) every article of the bundle in one file after its contents. */
export function renderHtmlBundle(bundle: Bundle): string {
  const articles = bundle.channels.flatMap((channel) =>
    channel.articles.map((article) => ({ article, channel })),
  );
  const single = articles.length === 1;
  const anchors = new Map(articles.map(({ article }) => [article.pagePath, `a-${article.key}`]));
  const link = (path: string) =>
    !single && anchors.has(path) ? `#${anchors.get(path)}` : publicUrlIn(bundle, path);
  const sections = articles.map(({ article, channel }, n) =>
    articleHtml(
      bundle,
      article,
      channel.title,
      single ? undefined : (anchors.get(article.pagePath) as string),
      {
        link,
        idPrefix: single ? '' : `a${n + 1}-`,
      },
    ),
  );
  const lang = bundle.lang ?? commonLanguage(articles.map(({ article }) => article.lang));
  const title = single ? articles[0].article.title : bundle.title;
  const parts: string[] = [];
  if (!single) {
    parts.push(
      `<h1>${escapeHtml(bundle.title)}</h1>`,
      `<nav>\n<h2>${escapeHtml(label(bundle, CONTENTS_LABEL))}</h2>`,
    );
    for (const channel of bundle.channels) {
      if (channel.articles.length === 0) continue;
      const items = channel.articles.map(
        (article) => `<li><a href="#${anchors.get(article.pagePath)}">${escapeHtml(article.title)}</a></li>`,
      );
      parts.push(`<h3>${escapeHtml(channel.title)}</h3>\n<ol>\n${items.join('\n')}\n</ol>`);
    }
    parts.push('</nav>');
  }
  parts.push(...sections);
  const langAttribute = lang ? ` lang="${escapeHtml(lang)}"` : '';
  return `<!doctype html>
<html${langAttribute} dir="${directionOf(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(bundleContentSecurityPolicy(STYLE))}">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${parts.join('\n')}
</main>
</body>
</html>
`;
}

function articleHtml(
  bundle: Bundle,
  article: BundleArticle,
  channelTitle: string,
  anchor: string | undefined,
  refs: { link: (path: string) => string | undefined; idPrefix: string },
): string {
  const image = (path: string) => {
    const found = bundle.images.get(path);
    return found
      ? `data:${found.mediaType};base64,${Buffer.from(found.bytes).toString('base64')}`
      : undefined;
  };
  const dir = article.lang ? ` lang="${escapeHtml(article.lang)}" dir="${directionOf(article.lang)}"` : '';
  const parts = [
    `<article${anchor ? ` id="${anchor}"` : ''}${dir}>`,
    `<h1>${escapeHtml(article.title)}</h1>`,
  ];
  const byline = bylineOf(article, channelTitle);
  if (byline) parts.push(`<p class="byline">${escapeHtml(byline)}</p>`);
  const leadPath = article.leadImage ? mirrorPathOf(article.pagePath, article.leadImage.src) : undefined;
  const lead = leadPath ? image(leadPath) : undefined;
  if (lead || article.caption) {
    const img = lead ? `<img src="${lead}" alt="${escapeHtml(article.leadImage?.alt ?? '')}">` : '';
    const caption = article.caption ? `<figcaption>${escapeHtml(article.caption)}</figcaption>` : '';
    parts.push(`<figure>${img}${caption}</figure>`);
  }
  const body = bundleBody(article.body, {
    pagePath: article.pagePath,
    image,
    link: refs.link,
    idPrefix: refs.idPrefix,
  });
  parts.push(toHtml(body), '<hr>');
  parts.push(
    `<p class="source">${escapeHtml(label(bundle, ORIGINAL_LINK_LABEL, article.lang ?? bundle.lang) + article.url)}</p>`,
  );
  const mirrored = publicUrlIn(bundle, article.pagePath);
  if (mirrored) {
    parts.push(
      `<p class="source">${escapeHtml(label(bundle, MIRRORED_AT_LABEL, article.lang ?? bundle.lang))}<a href="${escapeHtml(mirrored)}" rel="noreferrer">${escapeHtml(mirrored)}</a></p>`,
    );
  }
  parts.push('</article>');
  return parts.join('\n');
}
