// Small DOM helpers for a panel that must update only what changed: element builders, text and
// attribute setters that skip no-op writes, and a keyed list that reuses unchanged rows.

/** Builds an element with attributes and children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}

/** Builds a custom element (the vscode-elements components) the same way. */
export function custom(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Builds an SVG element. */
export function svg(tag: string, attrs: Record<string, string> = {}, ...children: Node[]): SVGElement {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}

/** Sets the text only when it differs (a same-value write is still a DOM mutation). */
export function setText(node: Node, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

/** Sets or removes an attribute only when it differs. */
export function setAttr(node: Element, name: string, value: string | null): void {
  if (value === null) {
    if (node.hasAttribute(name)) node.removeAttribute(name);
  } else if (node.getAttribute(name) !== value) node.setAttribute(name, value);
}

/** Toggles a class only when needed. */
export function setClass(node: Element, name: string, on: boolean): void {
  if (node.classList.contains(name) !== on) node.classList.toggle(name, on);
}

/** Shows or hides an element through the `hidden` attribute. */
export function setHidden(node: HTMLElement, hidden: boolean): void {
  if (node.hidden !== hidden) node.hidden = hidden;
}

interface Row {
  sig: string;
  node: HTMLElement;
}

/**
 * A list rendered from items by key: a row whose signature did not change is kept as it is (no DOM
 * mutation), a changed row is rebuilt, rows only move when the order changed.
 */
export class KeyedList<T> {
  private rows = new Map<string, Row>();

  constructor(
    readonly container: HTMLElement,
    private readonly key: (item: T) => string,
    private readonly sig: (item: T) => string,
    private readonly render: (item: T) => HTMLElement,
  ) {}

  update(items: readonly T[]): void {
    const next = new Map<string, Row>();
    const wanted: HTMLElement[] = [];
    for (const item of items) {
      const k = this.key(item);
      const s = this.sig(item);
      const old = this.rows.get(k);
      const row = old && old.sig === s ? old : { sig: s, node: this.render(item) };
      next.set(k, row);
      wanted.push(row.node);
    }
    for (const [k, row] of this.rows) {
      if (next.get(k)?.node !== row.node) row.node.remove();
    }
    let ref = this.container.firstChild;
    for (const node of wanted) {
      if (node === ref) ref = ref.nextSibling;
      else this.container.insertBefore(node, ref);
    }
    this.rows = next;
  }

  get size(): number {
    return this.rows.size;
  }
}
