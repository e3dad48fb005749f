// The page frame uses `###` for the title and `####` for the nav bar, so body headings sit below them:
// h1/h2 -> h4 (as the original demoted h2), h3 -> h5, deeper ones -> h6.
import type { Root } from 'hast';
import { elements } from './tree.ts';

/** Body heading level -> level on the page. */
const DEMOTED_LEVEL: Readonly<Record<string, string>> = {
  h1: 'h4',
  h2: 'h4',
  h3: 'h5',
  h4: 'h6',
  h5: 'h6',
  h6: 'h6',
};

export function demoteHeadings(root: Root): void {
  for (const element of elements(root)) {
    const demoted = DEMOTED_LEVEL[element.tagName];
    if (demoted) element.tagName = demoted;
  }
}
