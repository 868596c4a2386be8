/**
 * The last-resort reader for XML a strict parser refused: htmlparser2 in XML mode tokenizes anything
 * (unbalanced quotes, stray close tags, unclosed elements) without throwing, and this builds the same
 * xml2js-shaped tree the strict path produces, so one mapper reads both.
 */
import { Parser } from 'htmlparser2';
import type { XNode, XObj } from './xml-tree.ts';

interface Open {
  node: XObj;
  text: string[];
  /** Where the node sits in its parent's child array, to swap in a bare string for text-only elements. */
  siblings: XNode[];
  index: number;
  hasChildren: boolean;
}

/** Parses tag soup into an xml2js-shaped tree: { rootName: rootNode }. Never throws on bad markup. */
export function soupTree(xml: string): XObj {
  const top: XObj = {};
  const stack: Open[] = [{ node: top, text: [], siblings: [], index: 0, hasChildren: false }];
  const parser = new Parser(
    {
      onopentag(rawName, attribs) {
        // A tag named __proto__ must not reach an object key (it would replace the node's prototype).
        const name = rawName === '__proto__' ? '_proto_' : rawName;
        const parent = stack[stack.length - 1];
        parent.hasChildren = true;
        const node: XObj = {};
        if (Object.keys(attribs).length) node.$ = { ...attribs };
        let siblings = parent.node[name] as XNode[] | undefined;
        if (!Array.isArray(siblings)) parent.node[name] = siblings = [];
        siblings.push(node);
        stack.push({ node, text: [], siblings, index: siblings.length - 1, hasChildren: false });
      },
      ontext(text) {
        stack[stack.length - 1].text.push(text);
      },
      onclosetag() {
        if (stack.length === 1) return;
        const open = stack.pop()!;
        const text = open.text.join('');
        // xml2js conventions: a text-only element without attributes is a bare string; whitespace
        // between child elements is dropped.
        if (!open.hasChildren && !open.node.$) open.siblings[open.index] = text;
        else if (!open.hasChildren || text.trim()) open.node._ = text;
      },
    },
    { xmlMode: true, decodeEntities: true, recognizeCDATA: true, recognizeSelfClosing: true },
  );
  parser.end(xml);
  // Like xml2js with explicitRoot: the root element itself, not a one-element array.
  const out: XObj = {};
  for (const [name, nodes] of Object.entries(top)) if (Array.isArray(nodes)) out[name] = nodes[0];
  return out;
}
