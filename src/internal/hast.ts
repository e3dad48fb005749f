// Small read-only walks over hast trees shared by the pipeline glue.
import type { Element, Root, RootContent } from 'hast';

/** Every absolute http(s) href of an <a> in the tree, in document order, without duplicates. */
export function collectLinkUrls(root: Root): string[] {
  const found = new Set<string>();
  walkElements(root, (element) => {
    if (element.tagName !== 'a') return;
    const href = element.properties?.href;
    if (typeof href === 'string' && /^https?:\/\//i.test(href)) found.add(href);
  });
  return [...found];
}

export function walkElements(root: Root | Element, visit: (element: Element) => void): void {
  const stack: Array<Root | RootContent> = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'element') visit(node);
    if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  }
}
