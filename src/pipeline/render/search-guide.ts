// search.md: how a reader finds an article in the mirror on its git host, which has no search page of ours (a git
// host serves files, never scripts). The host's own search covers every page; the channel indexes and their CSVs
// list every title. In the static site the search page takes this file's place.
import type { MirrorConfig } from '../../config/options.ts';
import { MIRROR_LAYOUT } from '../../internal/mirror-layout.ts';
import { heading, link, paragraph, text } from './escape.ts';
import { relativeLink } from './paths.ts';
import { inScript } from './script.ts';

const GUIDE_PATH = MIRROR_LAYOUT.searchGuide;
/** "Search this mirror", the ways to search, "browse by channel". */
const TITLE = '搜索本镜像';
const ON_GITHUB = '在 GitHub 上：在页面顶部的搜索框中输入下面这一行（把“关键词”换成要找的词），按回车：';
const ON_OTHER_HOSTS = '在其他代码托管网站上：使用网站自己的“在此仓库中搜索”功能，输入要找的词。';
const BROWSE = '也可以按栏目浏览，每个栏目的目录列出全部标题：';

export function renderSearchGuide(
  mirror: MirrorConfig,
  channels: Array<{ id: string; title: string }>,
): string {
  const label = (value: string) => inScript(value, mirror.script);
  const lines = [heading(3, [text(`${mirror.title}：${label(TITLE)}`)]), '', '---', ''];
  const repository = githubRepository(mirror.publicUrl);
  if (repository) {
    lines.push(
      label(ON_GITHUB),
      '',
      paragraph([{ type: 'inlineCode', value: `repo:${repository} ${label('关键词')}` }]),
      '',
    );
  }
  lines.push(label(ON_OTHER_HOSTS), '', label(BROWSE), '');
  for (const channel of channels) {
    const href = relativeLink(GUIDE_PATH, MIRROR_LAYOUT.channelIndex(channel.id));
    lines.push(`- ${paragraph([link(label(channel.title), href)])}`);
  }
  lines.push('');
  return lines.join('\n');
}

/** `owner/name` of a mirror published on github.com (its publicUrl), for the host's `repo:` search qualifier. */
function githubRepository(publicUrl: string | undefined): string | undefined {
  if (!publicUrl) return undefined;
  try {
    const url = new URL(publicUrl);
    const [owner, name] = url.pathname.split('/').filter(Boolean);
    return url.hostname === 'github.com' && owner && name ? `${owner}/${name}` : undefined;
  } catch {
    return undefined;
  }
}
