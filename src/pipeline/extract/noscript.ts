// Pages rendered by a script app (Discourse forums, some single-page news apps) ship the readable copy for
// readers without JavaScript inside a <noscript>, and an empty shell beside it. We run no script, so for us that
// copy is the page: when a <noscript> holds more text than everything outside it, it becomes a plain <div>.
// Small <noscript>s ("enable JavaScript", tracking pixels, image fallbacks) stay and are dropped later.
import { type Document, type Element, isTag, isText } from 'domhandler';

/** A reader-facing copy holds at least a few sentences; below this it is a notice or a fallback image. */
const MIN_REVEALED_CHARS = 200;

/** Elements whose text no reader sees, whether inside a <noscript> or not. */
const UNSEEN = new Set(['script', 'style', 'template', 'head', 'title']);

function textChars(node: Element | Document, skipNoscript: boolean): number {
  let chars = 0;
  for (const child of node.children) {
    if (isText(child)) chars += child.data.trim().length;
    else if (isTag(child) && !UNSEEN.has(child.name) && !(skipNoscript && child.name === 'noscript'))
      chars += textChars(child, skipNoscript);
  }
  return chars;
}

function noscriptsIn(node: Element | Document, found: Element[]): Element[] {
  for (const child of node.children) {
    if (!isTag(child) || UNSEEN.has(child.name)) continue;
    if (child.name === 'noscript') found.push(child);
    else noscriptsIn(child, found);
  }
  return found;
}

/** Turns the page's no-script copy into ordinary content when it is the page's main text. Mutates `document`. */
export function revealNoscriptCopy(document: Document): void {
  const noscripts = noscriptsIn(document, []);
  if (noscripts.length === 0) return;
  const outside = textChars(document, true);
  for (const noscript of noscripts) {
    const inside = textChars(noscript, false);
    if (inside >= MIN_REVEALED_CHARS && inside > outside) {
      noscript.name = 'div';
      noscript.attribs['data-noscript'] = '';
    }
  }
}
