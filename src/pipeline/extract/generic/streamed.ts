// Pages React streams from the server (Next.js and others): the shell arrives first with a fallback in each slot
// (`<!--$?--><template id="B:0"></template>Loading…<!--/$-->`), the content later in hidden chunks
// (`<div hidden id="S:0">…</div>`) that a script (`$RC("B:0","S:0")`) moves into their slots. No script runs here,
// so the move is made the same way before anything is scored: the article is read in place and in order, without
// its "Loading…" fallbacks.
import { type ChildNode, type Document, type Element, isComment, isTag, isText } from 'domhandler';
import { removeElement } from 'domutils';

const CHUNK_ID = /^S:\d+$/;
const SLOT_ID = /^B:\d+$/;
const MOVE_CALL = /\$RC\("(B:\d+)","(S:\d+)"\)/g;

/** Moves every streamed chunk into its slot, in place; does nothing on a page that has none. */
export function placeStreamedChunks(document: Document): void {
  const chunks = new Map<string, Element>();
  const slots = new Map<string, Element>();
  const pairs = new Map<string, string>();
  const visit = (parent: Document | Element): void => {
    for (const child of parent.children) {
      if (!isTag(child)) continue;
      const id = child.attribs.id;
      if (id && child.name === 'div' && 'hidden' in child.attribs && CHUNK_ID.test(id)) chunks.set(id, child);
      else if (id && child.name === 'template' && SLOT_ID.test(id)) slots.set(id, child);
      else if (child.name === 'script') {
        const code = child.children.map((node) => (isText(node) ? node.data : '')).join('');
        if (code.includes('$RC('))
          for (const [, slot, chunk] of code.matchAll(MOVE_CALL)) pairs.set(slot, chunk);
      }
      if (child.name !== 'script' && child.name !== 'style') visit(child);
    }
  };
  visit(document);
  if (chunks.size === 0) return;
  const placed = new Set<Element>();
  for (const [slotId, slot] of slots) {
    const chunk = chunks.get(pairs.get(slotId) ?? `S:${slotId.slice(2)}`);
    if (!chunk || !slot.parent || placed.has(chunk)) continue;
    placed.add(chunk);
    const parent = slot.parent;
    const at = parent.children.indexOf(slot);
    // The fallback: what follows the slot up to the boundary's end marker `<!--/$-->`, when there is one.
    const end = parent.children.findIndex(
      (node, index) => index > at && isComment(node) && node.data === '/$',
    );
    const replaced = end > at ? parent.children.slice(at, end) : [slot];
    const moved: ChildNode[] = chunk.children;
    for (const node of moved) node.parent = parent;
    parent.children.splice(at, replaced.length, ...moved);
    relink(parent.children);
    for (const node of replaced) node.parent = null;
    removeElement(chunk);
  }
  // A chunk whose slot the saved page lost is still the page's content: shown where it is.
  for (const chunk of chunks.values()) if (!placed.has(chunk)) delete chunk.attribs.hidden;
}

/** Sibling links after a splice (domhandler keeps prev/next on every node). */
function relink(children: ChildNode[]): void {
  children.forEach((node, index) => {
    node.prev = children[index - 1] ?? null;
    node.next = children[index + 1] ?? null;
  });
}
