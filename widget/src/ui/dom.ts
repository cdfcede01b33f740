import { linkify } from '../../../shared/linkify';

/**
 * A tiny element builder. Text always goes in as text nodes (never HTML): message bodies, names
 * and server error messages cannot inject markup.
 */
type Attrs = Record<string, string | number | boolean | null | undefined | ((e: Event) => void)>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, '');
    else if (v != null && v !== false) el.setAttribute(k, String(v));
  }
  for (const c of children) if (c) el.append(c);
  return el;
}

/** An inline SVG icon from a constant path (icons are ours, never data). */
export function icon(path: string, size = 24): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const p = document.createElementNS(ns, 'path');
  p.setAttribute('d', path);
  svg.append(p);
  return svg;
}

/** Sets or removes an attribute, and only touches the DOM when the value changes. */
export function attr(el: Element, name: string, value: string | null | false): void {
  if (value === null || value === false) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
  } else if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

export function text(el: Node, value: string): void {
  if (el.textContent !== value) el.textContent = value;
}

const shown = new WeakMap<Element, string>();

/** A message's text with its http(s) and mailto links as <a> elements (P10): text nodes only, never HTML. */
export function linkText(el: HTMLElement, value: string): void {
  if (shown.get(el) === value) return;
  shown.set(el, value);
  el.replaceChildren(...linkify(value).map((p) => (p.href ? h('a', { href: p.href, target: '_blank', rel: 'noopener noreferrer' }, p.text) : p.text)));
}
