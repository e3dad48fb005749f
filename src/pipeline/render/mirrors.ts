// mirrors.md: every public copy of this mirror, so readers can move to another when one is blocked.
import type { MirrorConfig } from '../../config/options.ts';
import { heading, link, paragraph, text } from './escape.ts';
import { inScript } from './script.ts';

/** "All copies of this mirror", the advice to readers, "this copy", "no other copies yet". */
const MIRRORS_TITLE = '所有镜像';
const MIRRORS_ADVICE = '本镜像有以下公开副本。一个打不开时，请换用另一个，也可以把它们分享给朋友。';
const THIS_COPY = '本镜像';
const NONE_YET = '暂无其他镜像。';

export function renderMirrorsList(mirror: MirrorConfig): string {
  const label = (value: string) => inScript(value, mirror.script);
  const lines = [
    heading(3, [text(`${mirror.title}：${label(MIRRORS_TITLE)}`)]),
    '',
    '---',
    '',
    label(MIRRORS_ADVICE),
    '',
  ];
  const listed = new Set<string>();
  const items: string[] = [];
  if (mirror.publicUrl) {
    items.push(`- ${paragraph([link(label(THIS_COPY), mirror.publicUrl)])}`);
    listed.add(mirror.publicUrl);
  }
  for (const copy of mirror.mirrors) {
    if (listed.has(copy.url)) continue;
    listed.add(copy.url);
    items.push(`- ${paragraph([link(copy.name, copy.url)])}`);
  }
  lines.push(items.length > 0 ? items.join('\n') : label(NONE_YET), '');
  return lines.join('\n');
}
