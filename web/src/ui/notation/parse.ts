// Chatwork message notation -> a plain tree of nodes. The renderer builds DOM elements from this
// tree, so message text is never parsed as HTML. Unknown or unbalanced tags stay literal text.

export type Node =
  | { kind: 'text'; text: string }
  | { kind: 'to'; accountId: number }
  | { kind: 'toall' }
  | { kind: 'reply'; accountId: number; roomId?: number; messageId?: string }
  | { kind: 'quote'; accountId?: number; time?: number; children: Node[] }
  | { kind: 'info'; title?: Node[]; children: Node[] }
  | { kind: 'code'; text: string }
  | { kind: 'hr' }
  | { kind: 'person'; accountId: number; icon: boolean; name: boolean }
  | { kind: 'dtext'; key: string }
  | { kind: 'task'; children: Node[]; assigneeId?: number; status?: 'open' | 'done'; limitTime?: number; limitType?: 'none' | 'date' | 'time' }
  | { kind: 'file'; fileId: number; children: Node[]; preview?: true }
  | { kind: 'deleted' };

interface Tag {
  raw: string;
  name: string; // lower case
  closing: boolean;
  value?: string; // [name:value]
  attrs: Record<string, string>; // [name a=b c=d]
}

type Token = string | Tag;

const SKIP = Symbol('skip');

const TAG = /\[(\/?)([A-Za-z]+)(?::([^\][\s]*)|((?:\s+[A-Za-z]+=[^\s\][]*)*))\s*\]/g;
const PAIRED = new Set(['qt', 'info', 'title', 'task', 'download']);
const BLOCK_END = new Set(['qt', 'info', 'code', 'title', 'task']);

function tokenize(body: string): Token[] {
  const out: Token[] = [];
  let last = 0;
  TAG.lastIndex = 0;
  for (let m = TAG.exec(body); m; m = TAG.exec(body)) {
    if (m.index > last) out.push(body.slice(last, m.index));
    const attrs: Record<string, string> = {};
    for (const a of (m[4] ?? '').matchAll(/([A-Za-z]+)=([^\s\][]*)/g)) attrs[a[1].toLowerCase()] = a[2];
    out.push({ raw: m[0], name: m[2].toLowerCase(), closing: m[1] === '/', value: m[3], attrs });
    last = TAG.lastIndex;
  }
  if (last < body.length) out.push(body.slice(last));
  return out;
}

function intOf(s: string | undefined): number | undefined {
  if (s === undefined || !/^\d{1,18}$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

class Parser {
  private i = 0;
  // Files a [preview id=N] asked to show as an image (it comes before their [download:N]).
  private previews = new Set<number>();
  constructor(private readonly tokens: Token[]) {}

  // Parses until the close tag of `open` (closed: true) or until a close tag of an enclosing
  // element or the end (closed: false; that close tag is left for the enclosing level).
  seq(stack: string[]): { nodes: Node[]; closed: boolean } {
    const nodes: Node[] = [];
    const text = (t: string) => {
      const prev = nodes[nodes.length - 1];
      if (prev && prev.kind === 'text') prev.text += t;
      else if (t) nodes.push({ kind: 'text', text: t });
    };
    // A line break right after a block element would double the block's own spacing.
    let skipNewline = false;
    while (this.i < this.tokens.length) {
      const tok = this.tokens[this.i];
      if (typeof tok === 'string') {
        this.i++;
        text(skipNewline ? tok.replace(/^\r?\n/, '') : tok);
        skipNewline = false;
        continue;
      }
      skipNewline = false;
      if (tok.closing) {
        const depth = stack.lastIndexOf(tok.name);
        if (depth === stack.length - 1 && depth >= 0) {
          this.i++;
          return { nodes, closed: true };
        }
        if (depth >= 0) return { nodes, closed: false };
        this.i++;
        text(tok.raw);
        continue;
      }
      this.i++;
      const node = this.single(tok);
      if (node === SKIP) continue;
      if (node !== undefined) {
        if (node) nodes.push(node);
        else text(tok.raw);
        skipNewline = node !== null && (node.kind === 'hr' || node.kind === 'code');
        continue;
      }
      // A paired tag.
      const inner = this.seq([...stack, tok.name]);
      if (!inner.closed) {
        text(tok.raw);
        for (const n of inner.nodes) n.kind === 'text' ? text(n.text) : nodes.push(n);
        continue;
      }
      const built = this.paired(tok, inner.nodes);
      if (Array.isArray(built)) {
        for (const n of built) n.kind === 'text' ? text(n.text) : nodes.push(n);
      } else {
        nodes.push(built);
      }
      skipNewline = BLOCK_END.has(tok.name);
    }
    return { nodes, closed: false };
  }

  // A tag that stands alone: its node, null to keep it as text, undefined if it is paired.
  private single(tok: Tag): Node | null | undefined | typeof SKIP {
    switch (tok.name) {
      case 'to': {
        const id = intOf(tok.value);
        return id === undefined ? null : { kind: 'to', accountId: id };
      }
      case 'toall':
        return tok.value === undefined && Object.keys(tok.attrs).length === 0 ? { kind: 'toall' } : null;
      case 'rp': {
        const id = intOf(tok.attrs.aid);
        if (id === undefined) return null;
        const to = /^(\d+)-(\d+)$/.exec(tok.attrs.to ?? '');
        return to ? { kind: 'reply', accountId: id, roomId: intOf(to[1]), messageId: to[2] } : { kind: 'reply', accountId: id };
      }
      case 'hr':
        return { kind: 'hr' };
      case 'picon':
      case 'pname':
      case 'piconname': {
        const id = intOf(tok.value);
        if (id === undefined) return null;
        return { kind: 'person', accountId: id, icon: tok.name !== 'pname', name: tok.name !== 'picon' };
      }
      case 'dtext':
        return tok.value ? { kind: 'dtext', key: tok.value } : null;
      case 'deleted':
        return { kind: 'deleted' };
      case 'preview': {
        const id = intOf(tok.attrs.id);
        if (id !== undefined) this.previews.add(id);
        return SKIP; // marks the file's card (below) as an image
      }
      case 'qtmeta':
        return SKIP; // read by the quote
      case 'code':
        return this.code();
      default:
        return PAIRED.has(tok.name) ? undefined : null;
    }
  }

  // [code] takes everything up to the next [/code] as text; tags inside are not notation.
  private code(): Node | null {
    let text = '';
    for (let j = this.i; j < this.tokens.length; j++) {
      const t = this.tokens[j];
      if (typeof t !== 'string' && t.closing && t.name === 'code') {
        this.i = j + 1;
        return { kind: 'code', text: text.replace(/^\r?\n/, '').replace(/\r?\n$/, '') };
      }
      text += typeof t === 'string' ? t : t.raw;
    }
    return null;
  }

  private paired(tok: Tag, children: Node[]): Node | Node[] {
    switch (tok.name) {
      case 'qt': {
        // [qtmeta] has no closing tag and comes first; it is a token the children never saw.
        const metaIndex = this.findQtmeta(tok);
        const quote: Node = { kind: 'quote', children: trimNewlines(children) };
        if (metaIndex) {
          quote.accountId = intOf(metaIndex.attrs.aid);
          quote.time = intOf(metaIndex.attrs.time);
        }
        return quote;
      }
      case 'info': {
        const first = children.findIndex((n) => !(n.kind === 'text' && n.text.trim() === ''));
        if (first >= 0 && (children[first].kind as string) === 'title') {
          const title = (children[first] as unknown as { kind: 'title'; children: Node[] }).children;
          return { kind: 'info', title, children: trimNewlines(children.slice(first + 1)) };
        }
        return { kind: 'info', children: trimNewlines(children) };
      }
      case 'title':
        // Only meaningful inside [info]; the info case above unwraps it.
        return { kind: 'title', children } as unknown as Node;
      case 'task': {
        // The server's task notices: [task aid=ID st=open|done lt=UNIX ltype=none|date|time].
        const task: Node = { kind: 'task', children };
        const aid = intOf(tok.attrs.aid);
        if (aid !== undefined) task.assigneeId = aid;
        if (tok.attrs.st === 'open' || tok.attrs.st === 'done') task.status = tok.attrs.st;
        const lt = intOf(tok.attrs.lt);
        if (lt !== undefined) task.limitTime = lt;
        const ltype = tok.attrs.ltype;
        if (ltype === 'none' || ltype === 'date' || ltype === 'time') task.limitType = ltype;
        else if (lt !== undefined) task.limitType = lt > 0 ? 'time' : 'none';
        return task;
      }
      case 'download': {
        const id = intOf(tok.value);
        if (id === undefined) return children;
        return this.previews.has(id) ? { kind: 'file', fileId: id, children, preview: true } : { kind: 'file', fileId: id, children };
      }
      default:
        return children;
    }
  }

  private findQtmeta(open: Tag): Tag | undefined {
    const start = this.tokens.indexOf(open);
    for (let j = start + 1; j < this.tokens.length; j++) {
      const t = this.tokens[j];
      if (typeof t === 'string') {
        if (t.trim() === '') continue;
        return undefined;
      }
      return !t.closing && t.name === 'qtmeta' ? t : undefined;
    }
    return undefined;
  }
}

function trimNewlines(nodes: Node[]): Node[] {
  const out = nodes.slice();
  const first = out[0];
  if (first && first.kind === 'text') out[0] = { kind: 'text', text: first.text.replace(/^\r?\n/, '') };
  const lastIndex = out.length - 1;
  const last = out[lastIndex];
  if (last && last.kind === 'text') out[lastIndex] = { kind: 'text', text: last.text.replace(/\r?\n$/, '') };
  return out.filter((n) => n.kind !== 'text' || n.text !== '');
}

// Turns a stray [title] (outside [info]) back into its text and children.
function unwrapTitles(nodes: Node[]): Node[] {
  const out: Node[] = [];
  for (const n of nodes) {
    const k = n.kind as string;
    if (k === 'title') {
      out.push({ kind: 'text', text: '[title]' }, ...unwrapTitles((n as unknown as { children: Node[] }).children), { kind: 'text', text: '[/title]' });
      continue;
    }
    if (n.kind === 'quote' || n.kind === 'task' || n.kind === 'file') out.push({ ...n, children: unwrapTitles(n.children) });
    else if (n.kind === 'info') out.push({ ...n, title: n.title && unwrapTitles(n.title), children: unwrapTitles(n.children) });
    else out.push(n);
  }
  return mergeText(out);
}

function mergeText(nodes: Node[]): Node[] {
  const out: Node[] = [];
  for (const n of nodes) {
    const prev = out[out.length - 1];
    if (n.kind === 'text' && prev && prev.kind === 'text') out[out.length - 1] = { kind: 'text', text: prev.text + n.text };
    else if (n.kind !== 'text' || n.text !== '') out.push(n);
  }
  return out;
}

export function parseNotation(body: string): Node[] {
  return unwrapTitles(new Parser(tokenize(body)).seq([]).nodes);
}

// The account ids a body addresses ([To:], [rp aid=]) outside quotes; [toall] is reported apart.
export function mentionsOf(nodes: Node[]): { ids: Set<number>; all: boolean } {
  const ids = new Set<number>();
  let all = false;
  const walk = (list: Node[]) => {
    for (const n of list) {
      if (n.kind === 'to' || n.kind === 'reply') ids.add(n.accountId);
      else if (n.kind === 'toall') all = true;
      else if (n.kind === 'info') walk(n.children);
      else if (n.kind === 'task' || n.kind === 'file') walk(n.children);
    }
  };
  walk(nodes);
  return { ids, all };
}

// Text for previews and notifications: notation removed, names looked up.
export function plainText(nodes: Node[], nameOf: (id: number) => string): string {
  return nodes
    .map((n): string => {
      switch (n.kind) {
        case 'text': return n.text;
        case 'to': return `@${nameOf(n.accountId)} `;
        case 'toall': return '@all ';
        case 'reply': return `RE ${nameOf(n.accountId)} `;
        case 'quote': return `> ${plainText(n.children, nameOf)}\n`;
        case 'info': return `${n.title ? plainText(n.title, nameOf) + ' ' : ''}${plainText(n.children, nameOf)}`;
        case 'code': return n.text;
        case 'hr': return '\n';
        case 'person': return n.name ? nameOf(n.accountId) : '';
        case 'task': case 'file': return plainText(n.children, nameOf);
        default: return '';
      }
    })
    .join('');
}
