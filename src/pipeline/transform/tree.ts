// Small hast helpers shared by the transform steps: a rewriting walk, class/id words, text length.
import type { Element, ElementContent, Root, RootContent } from 'hast';

/**
 * What a visitor returns for one node: `undefined` keeps it and walks into its children; an array replaces
 * it (empty = remove), and the replacements are visited in turn (so unwrapping returns `node.children`).
 */
export type Visit = (node: ElementContent, ancestors: readonly Element[]) => ElementContent[] | undefined;

/** Rewrite the children of `parent` in place, depth first, in document order. */
export function rewrite(parent: Root | Element, visit: Visit, ancestors: Element[] = []): void {
  const queue = [...(parent.children as ElementContent[])];
  const kept: ElementContent[] = [];
  while (queue.length > 0) {
    const node = queue.shift()!;
    const replacement = visit(node, ancestors);
    if (replacement !== undefined) {
      queue.unshift(...replacement);
      continue;
    }
    if (node.type === 'element') {
      ancestors.push(node);
      rewrite(node, visit, ancestors);
      ancestors.pop();
    }
    kept.push(node);
  }
  (parent as Element).children = kept;
}

/** Every element of the tree, in document order. */
export function elements(root: Root | Element): Element[] {
  const found: Element[] = [];
  const stack: Array<Root | RootContent> = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'element') found.push(node);
    if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  }
  return found;
}

/** A property as one string: hast keeps space- and comma-separated values as arrays. */
export function propertyString(element: Element, name: string): string | undefined {
  const value = element.properties?.[name];
  if (value === undefined || value === null || value === false) return undefined;
  if (Array.isArray(value)) return value.join(' ');
  return String(value);
}

/** Concatenated text of a subtree. */
export function textOf(node: Root | ElementContent): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'element' || node.type === 'root') {
    let text = '';
    for (const child of node.children) text += textOf(child as ElementContent);
    return text;
  }
  return '';
}

/** Whitespace runs folded to one space, ends trimmed: the way a reader sees a title or caption. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function textNode(value: string): ElementContent {
  return { type: 'text', value };
}
