// `newsmirror init`: a commented starter config that validates as written.
import { existsSync, writeFileSync } from 'node:fs';

export const STARTER_CONFIG = `# newsmirror.yaml: what to mirror and where. Relative paths are relative to this file.
# Every field is documented in docs/config.md; editors can validate with schema/newsmirror.schema.json.

mirror:
  dir: ./mirror                 # the output working tree; a git repository (created when missing)
  title: 新闻镜像                # shown on the home page
  # publicUrl: https://github.com/you/news-mirror/blob/main/   # enables share links and QR codes
  nav:                          # the bar on every page; hrefs relative to the mirror root; ?<article id> is added
    - { text: 首页, href: README.md }
  # counter: https://counter.example.org/news/{path}           # optional view counter image ({path} = page path)
  links: mirror                 # mirror: link to the mirrored copy, else plain text | inert: plain text | keep
  images: mirror                # mirror: download and store under assets/ | hotlink | drop
  script: original              # original | simplified | traditional
  remotes: []                   # e.g. [origin] or [{ name: github, url: git@github.com:you/news-mirror.git }]

sites:
  - id: example                 # letters, digits, - and _
    name: Example News
    base: https://news.example.org
    articleId: '/(\\d+)\\.html$'   # regular expression over the URL; group 1 is the article id
    # rules:                    # optional CSS selectors; without them the generic extractor runs
    #   body: 'article .content'
    #   title: 'h1'
    #   leadImage: 'figure.lead img'
    #   caption: 'figure.lead figcaption'
    #   remove: ['.share', '.related', 'aside']   # each applied on its own
    channels:
      - { id: world, title: World, feed: https://news.example.org/world/rss.xml }
      # - { id: china, title: China, listing: { url: https://news.example.org/china/, links: '.list h3 a, .old-list a' } }
      # - { id: all, title: All, sitemap: https://news.example.org/news-sitemap.xml }
# bundles:                      # a day's news as one file in bundles/, linked from the home page (docs/readers.md)
#   - { format: epub, every: day, keep: 7 }           # epub | html; day | week; combined: true for one file
# revisit:                      # articles younger than 3 days are checked again every 6 h (edits, retractions)
#   { days: 3, every: 6h, retracted: mark }         # mark: keep the text under a notice | remove | keep
`;

export async function initCommand(options: { output: string; force?: boolean }): Promise<number> {
  if (existsSync(options.output) && !options.force) {
    process.stderr.write(`newsmirror init: ${options.output} exists; pass --force to overwrite\n`);
    return 2;
  }
  writeFileSync(options.output, STARTER_CONFIG);
  process.stdout.write(`wrote ${options.output}\n`);
  return 0;
}
