// Builds the page with DOM calls only: text always goes in as text nodes, never as HTML, so whatever
// anyone typed (a blocker's text, a family's note) is shown exactly as typed and never run.

export type Content = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | null | undefined>;

function setAttributes(element: Element, attributes: Attributes | undefined): void {
  for (const [name, value] of Object.entries(attributes ?? {})) {
    // Inline handlers and styles would need 'unsafe-inline' in the CSP; behaviour is attached with addEventListener.
    if (name.startsWith("on") || name === "style") throw new Error(`Attribute ${name} is not allowed`);
    if (value === false || value === null || value === undefined) continue;
    element.setAttribute(name, value === true ? "" : String(value));
  }
}

function append(element: Element, children: Content[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes?: Attributes, ...children: Content[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  setAttributes(element, attributes);
  append(element, children);
  return element;
}

export function s<K extends keyof SVGElementTagNameMap>(tag: K, attributes?: Attributes, ...children: Content[]): SVGElementTagNameMap[K] {
  const element = document.createElementNS("http://www.w3.org/2000/svg", tag);
  setAttributes(element, attributes);
  append(element, children);
  return element;
}

/** Replaces an element's children (leaving out null, undefined and false). */
export function fill(element: Element, ...children: Content[]): void {
  element.replaceChildren();
  append(element, children);
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element as T;
}

/**
 * Puts `items` in `container` in order, reusing the element of each key whose data did not change, so an open
 * form or a half-typed note in an unchanged item survives a live update, and moving nothing that stays put.
 */
export function reconcile<T>(container: Element, items: T[], key: (item: T) => string, build: (item: T) => Element): void {
  const existing = new Map<string, Element>();
  for (const child of Array.from(container.children)) {
    const k = (child as HTMLElement).dataset.key;
    if (k !== undefined) existing.set(k, child);
  }
  const wanted: Element[] = items.map((item) => {
    const k = key(item);
    const data = JSON.stringify(item);
    const old = existing.get(k) as HTMLElement | undefined;
    if (old && old.dataset.data === data) return old;
    const fresh = build(item) as HTMLElement;
    fresh.dataset.key = k;
    fresh.dataset.data = data;
    if (old) {
      // Keep open what the user opened.
      old.querySelectorAll("details[open]").forEach((_open, i) => fresh.querySelectorAll("details")[i]?.setAttribute("open", ""));
      fresh.classList.add("app-changed");
    }
    return fresh;
  });
  const keep = new Set(wanted);
  for (const child of Array.from(container.children)) if (!keep.has(child)) child.remove();
  wanted.forEach((element, index) => {
    if (container.children[index] !== element) container.insertBefore(element, container.children[index] ?? null);
  });
}

/** A wide table that scrolls sideways on a small screen; keyboard users can focus the region to scroll it. */
export function scrolling(label: string, table: HTMLTableElement): HTMLElement {
  return h("div", { class: "app-table-wrap", role: "region", "aria-label": label, tabindex: 0 }, table);
}

let unique = 0;
/** An id for a form control, unique on the page. */
export function uid(prefix: string): string {
  unique += 1;
  return `${prefix}-${unique}`;
}
