// Links to the bundles `run` writes (config `bundles`): the newest of each on the home page ("download the news"),
// every kept one of a channel on its index. The size is shown: a reader on a phone decides before downloading.
import type { ScriptPolicy } from '../types.ts';
import { heading, link, paragraph, separated, text } from './escape.ts';
import { relativeLink } from './paths.ts';
import { inScript } from './script.ts';

export interface BundleLink {
  /** Mirror-root path of the file. */
  path: string;
  /** `2024-05-20` or `2024-W21`. */
  period: string;
  format: 'epub' | 'html';
  bytes: number;
  /** The channel bundled; absent for a combined bundle of several channels. */
  channelId?: string;
}

/** "Download the news (read offline)", "all channels". */
const DOWNLOAD_HEADING = '下载新闻（离线阅读）';
const COMBINED_LABEL = '全部栏目';
const FORMAT_LABELS = { epub: 'EPUB 电子书', html: 'HTML 单文件' } as const;

/** The home page's section: a list of the newest period of each kind; empty without bundles. */
export function homeBundleSection(
  links: BundleLink[],
  fromFile: string,
  channelTitles: Map<string, string>,
  script: ScriptPolicy,
): string[] {
  if (links.length === 0) return [];
  const label = (value: string) => inScript(value, script);
  const lines = [heading(4, [text(label(DOWNLOAD_HEADING))]), ''];
  for (const bundle of links) {
    const scope = bundle.channelId
      ? (channelTitles.get(bundle.channelId) ?? bundle.channelId)
      : COMBINED_LABEL;
    lines.push(`- ${paragraph([linkTo(bundle, fromFile, `${label(scope)} ${bundle.period}`, script)])}`);
  }
  lines.push('');
  return lines;
}

/** A channel index's line: every kept bundle of the channel, newest first; empty without bundles. */
export function channelBundleLine(links: BundleLink[], fromFile: string, script: ScriptPolicy): string[] {
  if (links.length === 0) return [];
  const label = (value: string) => inScript(value, script);
  return [
    paragraph([
      text(`${label(DOWNLOAD_HEADING)}：`),
      ...separated(links.map((bundle) => linkTo(bundle, fromFile, bundle.period, script))),
    ]),
    '',
  ];
}

function linkTo(bundle: BundleLink, fromFile: string, name: string, script: ScriptPolicy) {
  const what = `${name} · ${inScript(FORMAT_LABELS[bundle.format], script)} · ${sizeText(bundle.bytes)}`;
  return link(what, relativeLink(fromFile, bundle.path));
}

function sizeText(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
