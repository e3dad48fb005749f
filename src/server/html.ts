// The HTML frame shared by the preview and the stats page: self-contained (inline CSS, no script, nothing loaded from
// elsewhere), so it works without JavaScript and behind any censor.

import { escapeHtml } from '../internal/html.ts';

export { escapeHtml };

/** A mirror path as a URL path of the preview, each segment percent-encoded. */
export function previewHref(previewBase: string, path: string): string {
  return previewBase + path.split('/').map(encodeURIComponent).join('/');
}

/** Close to GitHub's `.markdown-body` look, only what changes how a page reads. */
const STYLE = `
body{margin:0;font:16px/1.5 -apple-system,"Segoe UI","Noto Sans",Helvetica,Arial,"PingFang SC","Noto Sans CJK SC",sans-serif;color:#1f2328;background:#fff}
header{border-bottom:1px solid #d1d9e0;padding:8px 16px;font-size:14px;background:#f6f8fa}
header a{color:#0969da}
main{max-width:980px;margin:0 auto;padding:24px 32px}
.markdown-body img{max-width:100%;box-sizing:content-box}
.markdown-body a{color:#0969da;text-decoration:underline}
.markdown-body table{border-collapse:collapse;display:block;overflow:auto}
.markdown-body td,.markdown-body th{border:1px solid #d1d9e0;padding:6px 13px}
.markdown-body hr{height:.25em;background:#d1d9e0;border:0}
.markdown-body h1,.markdown-body h2{border-bottom:1px solid #d1d9e0;padding-bottom:.3em}
.markdown-body pre{background:#f6f8fa;padding:16px;overflow:auto}
.markdown-body blockquote{color:#59636e;border-left:.25em solid #d1d9e0;margin:0;padding:0 1em}
.listing{list-style:none;padding:0;border:1px solid #d1d9e0;border-radius:6px}
.listing li{padding:4px 16px;border-top:1px solid #d1d9e0}
.listing li:first-child{border-top:0}
.chart .bar{fill:#2da44e}
.chart .axis{stroke:#8c959f;stroke-width:1}
.chart .grid{stroke:#d1d9e0;stroke-width:1}
.chart text{font-size:11px;fill:#59636e}
.chart{display:block;width:100%;max-width:760px;height:auto}
figure{margin:16px 0}
.top td{overflow-wrap:anywhere}
@media (max-width:600px){main{padding:16px}.chart text{font-size:22px}}
.top{border-collapse:collapse;margin:8px 0 24px}
.top td,.top th{border:1px solid #d1d9e0;padding:4px 10px;text-align:left}
.top td.views{text-align:right;font-variant-numeric:tabular-nums}
`;

/**
 * Pages show only what the mirror holds: no script runs, nothing but images may load from elsewhere (on the git host
 * they come through its image proxy, so a hotlinked image also shows there).
 */
export const PAGE_SECURITY_POLICY =
  "default-src 'none'; img-src * data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function htmlPage(page: { title: string; header: string; body: string }): string {
  return `<!doctype html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(page.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>${page.header}</header>
<main>
${page.body}
</main>
</body>
</html>
`;
}
