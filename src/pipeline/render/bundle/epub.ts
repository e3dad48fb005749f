// One EPUB 3 book from a bundle: a navigation document (table of contents by channel, also as an NCX for older
// readers), one XHTML file per article, its images, one small stylesheet. Pure: returns the files in the order the
// container needs them (`mimetype` first, stored uncompressed); the caller zips them.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
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
import type { Bundle, BundleArticle, BundleImage } from './types.ts';
import { toXhtml, xmlAttribute, xmlText } from './xml.ts';

export interface EpubEntry {
  path: string;
  content: string | Uint8Array;
  /** false for `mimetype` (the container requires it stored) and for images (already compressed). */
  compress: boolean;
}

const XHTML = 'application/xhtml+xml';
const EXTENSIONS: Record<BundleImage['mediaType'], string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

/** Plain and small: e-reading systems apply their own fonts and margins, and many know little CSS. */
const EPUB_STYLESHEET = `body { margin: 0 0.5em; line-height: 1.6; }
h1 { font-size: 1.4em; line-height: 1.3; margin: 0.5em 0; }
h2, h3, h4, h5, h6 { font-size: 1.1em; }
.byline, .source { color: #555; font-size: 0.85em; }
img { max-width: 100%; height: auto; }
figure { margin: 1em 0; text-align: center; }
figcaption { font-size: 0.85em; color: #555; }
blockquote { margin-left: 0.5em; padding-left: 0.75em; border-left: 0.2em solid #999; }
table { border-collapse: collapse; }
td, th { border: 1px solid #999; padding: 0.2em 0.4em; }
nav ol { list-style: none; padding-left: 1em; }
.source { overflow-wrap: break-word; word-break: break-all; }
`;

export function renderEpub(bundle: Bundle): EpubEntry[] {
  const articles = bundle.channels.flatMap((channel) =>
    channel.articles.map((article) => ({ article, channel })),
  );
  const lang = bundle.lang ?? commonLanguage(articles.map(({ article }) => article.lang)) ?? 'und';
  const identifier = `urn:uuid:${uuidOf(bundle.contentKey)}`;
  const fileOf = new Map(articles.map(({ article }, n) => [article.pagePath, `a${n + 1}.xhtml`]));
  const imageNames = new Map<string, string>();
  const imageOf = (path: string) => {
    const image = bundle.images.get(path);
    if (!image) return undefined;
    let name = imageNames.get(path);
    if (!name) {
      name = `i${imageNames.size + 1}.${EXTENSIONS[image.mediaType]}`;
      imageNames.set(path, name);
    }
    return `../images/${name}`;
  };
  const texts: EpubEntry[] = articles.map(({ article, channel }) => ({
    path: `EPUB/text/${fileOf.get(article.pagePath)}`,
    content: articleXhtml(bundle, article, channel.title, lang, {
      image: imageOf,
      link: (path) => fileOf.get(path) ?? publicUrlIn(bundle, path),
    }),
    compress: true,
  }));
  const images: EpubEntry[] = [...imageNames].map(([path, name]) => ({
    path: `EPUB/images/${name}`,
    content: (bundle.images.get(path) as BundleImage).bytes,
    compress: false,
  }));
  const toc = bundle.channels
    .filter((channel) => channel.articles.length > 0)
    .map((channel) => ({
      title: channel.title,
      articles: channel.articles.map((article) => ({
        title: article.title,
        href: `text/${fileOf.get(article.pagePath)}`,
      })),
    }));
  const manifest = [
    `<item id="nav" href="nav.xhtml" media-type="${XHTML}" properties="nav"/>`,
    '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>',
    '<item id="css" href="style.css" media-type="text/css"/>',
    ...articles.map((_, n) => `<item id="a${n + 1}" href="text/a${n + 1}.xhtml" media-type="${XHTML}"/>`),
    ...[...imageNames].map(
      ([path, name], n) =>
        `<item id="i${n + 1}" href="images/${name}" media-type="${(bundle.images.get(path) as BundleImage).mediaType}"/>`,
    ),
  ];
  const spine = ['<itemref idref="nav"/>', ...articles.map((_, n) => `<itemref idref="a${n + 1}"/>`)];
  const opf = `<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="${xmlAttribute(lang)}" dir="${directionOf(lang)}">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="uid">${identifier}</dc:identifier>
<dc:title>${xmlText(bundle.title)}</dc:title>
<dc:creator>${xmlText(bundle.creator)}</dc:creator>
<dc:language>${xmlText(lang)}</dc:language>
<dc:date>${bundle.date}</dc:date>
<meta property="dcterms:modified">${bundle.modified.toISOString().replace(/\.\d{3}Z$/, 'Z')}</meta>
</metadata>
<manifest>
${manifest.join('\n')}
</manifest>
<spine toc="ncx" page-progression-direction="${directionOf(lang)}">
${spine.join('\n')}
</spine>
</package>
`;
  return [
    { path: 'mimetype', content: 'application/epub+zip', compress: false },
    {
      path: 'META-INF/container.xml',
      content: `<?xml version="1.0" encoding="utf-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
`,
      compress: true,
    },
    { path: 'EPUB/package.opf', content: opf, compress: true },
    { path: 'EPUB/nav.xhtml', content: navXhtml(bundle, lang, toc), compress: true },
    { path: 'EPUB/toc.ncx', content: ncx(bundle, lang, identifier, toc), compress: true },
    { path: 'EPUB/style.css', content: EPUB_STYLESHEET, compress: true },
    ...texts,
    ...images,
  ];
}

interface TocChannel {
  title: string;
  articles: Array<{ title: string; href: string }>;
}

function xhtmlDocument(lang: string, title: string, css: string, body: string, epubNs = false): string {
  const ns = epubNs ? ' xmlns:epub="http://www.idpf.org/2007/ops"' : '';
  const language = xmlAttribute(lang);
  return `<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml"${ns} lang="${language}" xml:lang="${language}" dir="${directionOf(lang)}">
<head>
<meta charset="utf-8"/>
<title>${xmlText(title)}</title>
<link rel="stylesheet" type="text/css" href="${css}"/>
</head>
<body>
${body}
</body>
</html>
`;
}

function navXhtml(bundle: Bundle, lang: string, toc: TocChannel[]): string {
  const items = toc.map(
    (channel) =>
      `<li><span>${xmlText(channel.title)}</span>\n<ol>\n${channel.articles
        .map((article) => `<li><a href="${xmlAttribute(article.href)}">${xmlText(article.title)}</a></li>`)
        .join('\n')}\n</ol></li>`,
  );
  const body = `<nav epub:type="toc" id="toc">\n<h1>${xmlText(bundle.title)}</h1>\n<ol>\n${items.join('\n')}\n</ol>\n</nav>`;
  return xhtmlDocument(lang, label(bundle, CONTENTS_LABEL), 'style.css', body, true);
}

/** EPUB 2's table of contents, which older e-readers still read; entries pointing at one file share a playOrder. */
function ncx(bundle: Bundle, lang: string, identifier: string, toc: TocChannel[]): string {
  const order = new Map<string, number>();
  const playOrder = (href: string) => {
    if (!order.has(href)) order.set(href, order.size + 1);
    return order.get(href);
  };
  let id = 0;
  const point = (title: string, href: string, inner = '') =>
    `<navPoint id="p${++id}" playOrder="${playOrder(href)}"><navLabel><text>${xmlText(title)}</text></navLabel>` +
    `<content src="${xmlAttribute(href)}"/>${inner}</navPoint>`;
  const points = toc.map((channel) => {
    const first = channel.articles[0].href;
    const head = `<navPoint id="p${++id}" playOrder="${playOrder(first)}"><navLabel><text>${xmlText(channel.title)}</text></navLabel><content src="${xmlAttribute(first)}"/>`;
    return `${head}\n${channel.articles.map((article) => point(article.title, article.href)).join('\n')}\n</navPoint>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="${xmlAttribute(lang)}">
<head>
<meta name="dtb:uid" content="${identifier}"/>
<meta name="dtb:depth" content="2"/>
<meta name="dtb:totalPageCount" content="0"/>
<meta name="dtb:maxPageNumber" content="0"/>
</head>
<docTitle><text>${xmlText(bundle.title)}</text></docTitle>
<navMap>
${points.join('\n')}
</navMap>
</ncx>
`;
}

function articleXhtml(
  bundle: Bundle,
  article: BundleArticle,
  channelTitle: string,
  bookLang: string,
  refs: { image: (path: string) => string | undefined; link: (path: string) => string | undefined },
): string {
  const lang = article.lang ?? bookLang;
  const parts = [`<h1>${xmlText(article.title)}</h1>`];
  const byline = bylineOf(article, channelTitle);
  if (byline) parts.push(`<p class="byline">${xmlText(byline)}</p>`);
  const leadPath = article.leadImage ? mirrorPathOf(article.pagePath, article.leadImage.src) : undefined;
  const lead = leadPath ? refs.image(leadPath) : undefined;
  if (lead || article.caption) {
    const image = lead ? `<img src="${lead}" alt="${xmlAttribute(article.leadImage?.alt ?? '')}"/>` : '';
    const caption = article.caption ? `<figcaption>${xmlText(article.caption)}</figcaption>` : '';
    parts.push(`<figure>${image}${caption}</figure>`);
  }
  const body = bundleBody(article.body, {
    pagePath: article.pagePath,
    image: refs.image,
    link: refs.link,
    idPrefix: 'c-',
  });
  parts.push(toXhtml(body), '<hr/>');
  parts.push(
    `<p class="source">${xmlText(label(bundle, ORIGINAL_LINK_LABEL, article.lang ?? bundle.lang) + article.url)}</p>`,
  );
  const mirrored = publicUrlIn(bundle, article.pagePath);
  if (mirrored) {
    parts.push(
      `<p class="source">${xmlText(label(bundle, MIRRORED_AT_LABEL, article.lang ?? bundle.lang))}<a href="${xmlAttribute(mirrored)}">${xmlText(mirrored)}</a></p>`,
    );
  }
  const css = posix.relative('text', 'style.css');
  return xhtmlDocument(lang, article.title, css, `<article>\n${parts.join('\n')}\n</article>`);
}

/** A UUID-shaped identifier derived from the content, so the same bundle keeps the same identity. */
function uuidOf(key: string): string {
  const hex = createHash('sha256').update(key).digest('hex');
  const variant = ((Number.parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
