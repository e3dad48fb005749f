// GitHub drops <figure> and <figcaption> but keeps their content, which would glue a caption to its image
// on one line. As div + p they render as the original did: the image, then its caption on a line of its own.
import type { Root } from 'hast';
import { elements } from './tree.ts';

const RENAMED: Readonly<Record<string, string>> = { figure: 'div', figcaption: 'p' };

export function separateFigures(root: Root): void {
  for (const element of elements(root)) {
    const renamed = RENAMED[element.tagName];
    if (renamed) element.tagName = renamed;
  }
}
