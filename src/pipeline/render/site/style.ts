// style.css: one small stylesheet for every page. Mobile first: a phone is the usual reader; wider screens only
// get a column of readable width. System fonts only (a web font would be a request to somewhere else, and a CJK
// font is megabytes), with the common CJK faces of each platform as fallbacks.
export const SITE_STYLESHEET = `:root {
  color-scheme: light dark;
  --text: #1f2328;
  --muted: #59636e;
  --link: #0969da;
  --rule: #d1d9e0;
  --code: #f6f8fa;
  --back: #ffffff;
}
@media (prefers-color-scheme: dark) {
  :root {
    --text: #e6edf3;
    --muted: #9198a1;
    --link: #4493f8;
    --rule: #3d444d;
    --code: #151b23;
    --back: #0d1117;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0;
  background: var(--back);
  color: var(--text);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "PingFang SC",
    "PingFang TC", "Hiragino Sans GB", "Microsoft YaHei", "Microsoft JhengHei", "Noto Sans CJK SC",
    "Noto Sans CJK TC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif;
  font-size: 1.0625rem;
  line-height: 1.75;
  overflow-wrap: anywhere;
}
main { max-width: 42rem; margin: 0 auto; padding: 0.75rem 1rem 2rem; }
h1, h2, h3, h4, h5, h6 { line-height: 1.4; margin: 1.25em 0 0.5em; }
h3:first-child { margin-top: 0.5em; font-size: 1.35rem; }
h4 { font-size: 1rem; font-weight: 600; }
p, ul, ol, blockquote, table, pre { margin: 0 0 1em; }
a { color: var(--link); text-decoration: none; }
a:hover, a:focus { text-decoration: underline; }
img { max-width: 100%; height: auto; vertical-align: middle; }
hr { border: 0; border-top: 1px solid var(--rule); margin: 1.25em 0; }
blockquote { margin-left: 0; padding-left: 1em; border-left: 0.25em solid var(--rule); color: var(--muted); }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.9em; }
code { background: var(--code); padding: 0.1em 0.3em; border-radius: 4px; }
pre { background: var(--code); padding: 0.75em; overflow-x: auto; }
pre code { padding: 0; background: none; }
table { display: block; max-width: 100%; overflow-x: auto; border-collapse: collapse; }
th, td { padding: 0.3em 0.6em; border: 1px solid var(--rule); vertical-align: top; }
th { text-align: left; }
td:first-child { white-space: nowrap; }
`;
