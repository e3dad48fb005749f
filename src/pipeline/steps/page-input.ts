// Everything the pure transform + render of one page needs, with every store lookup resolved here: which links point
// to mirrored articles, which images are mirrored, the article's channels. The page's images and links come from the
// references recorded when it was stored, so this thread does not parse the stored body again.
import type { Config } from '../../config/options.ts';
import type { StoredArticle, StorePorts } from '../../store/index.ts';
import { pageRefsOf } from '../job/article-job.ts';
import { archiveMirror, hrefFrom, MAIN_REPO, type Placement } from '../render/retention.ts';
import type { ArticlePageInput } from '../threads/page-workers.ts';
import type { ExtractedArticle } from '../types.ts';

export async function articlePageInput(
  stored: StoredArticle,
  config: Config,
  store: Pick<StorePorts, 'articles' | 'pageRefs' | 'images' | 'channels'>,
  /** With `mirror.keep`: the repository the page is rendered into; links to pages elsewhere are public URLs. */
  where?: { placement: Placement; repo: string },
): Promise<ArticlePageInput> {
  let { images, links } = await store.pageRefs.of(stored.siteId, stored.id);
  if (images.length === 0 && links.length === 0) {
    // Nothing recorded: a page without images or links, or one stored before references were kept.
    ({ images, links } = pageRefsOf(JSON.parse(stored.extracted) as ExtractedArticle));
  }
  const linkTargets: Array<[string, string]> = [];
  if (config.mirror.links === 'mirror') {
    for (const url of links) {
      if (where) {
        const target = await store.articles.getByUrl(url);
        if (target)
          linkTargets.push([
            url,
            hrefFrom(where.placement, where.repo, { ...target, path: target.pagePath }),
          ]);
        continue;
      }
      const target = await store.articles.pagePathForUrl(url);
      if (target) linkTargets.push([url, target]);
    }
  }
  const assets: Array<[string, string]> = [];
  if (config.mirror.images === 'mirror') {
    for (const src of images) {
      const image = await store.images.get(src);
      if (image) assets.push([src, image.assetPath]);
    }
  }
  return {
    id: stored.id,
    siteId: stored.siteId,
    url: stored.url,
    pagePath: stored.pagePath,
    extractedJson: stored.extracted,
    channels: await store.channels.of(stored.siteId, stored.id),
    channelTitle: channelTitleOf(config, stored.homeChannel),
    mirror: where && where.repo !== MAIN_REPO ? archiveMirror(where.placement, where.repo) : config.mirror,
    linkTargets,
    assets,
    ...retractionOf(stored, config),
    siteLabels: config.sites.find((site) => site.id === stored.siteId)?.labels,
  };
}

/** What the page says of a retraction at the source (`revisit.retracted`; `keep` shows nothing). */
function retractionOf(stored: StoredArticle, config: Config): Pick<ArticlePageInput, 'retracted'> {
  const mode = config.revisit.retracted;
  if (stored.retractedAt === undefined || mode === 'keep') return {};
  return { retracted: { at: stored.retractedAt, removeText: mode === 'remove' } };
}

export function channelTitleOf(config: Config, channelId: string): string {
  for (const site of config.sites) {
    for (const channel of site.channels) if (channel.id === channelId) return channel.title;
  }
  return channelId;
}
