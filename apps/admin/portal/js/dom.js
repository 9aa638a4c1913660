/* global document, Node */
// Builds DOM nodes without innerHTML, so data from the API can never become markup.

/**
 * h('button', { class: 'btn', onclick: fn }, 'Save') → <button class="btn">Save</button>
 * Attributes: `class`, `on<event>` handlers, booleans (true → present), everything else as-is.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

/** An inline SVG icon from a path (kept to a few shapes). */
export function icon(pathData, size = 16) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('fill', 'none');
  svg.setAttribute('stroke', 'currentColor');
  svg.setAttribute('stroke-width', '2');
  svg.setAttribute('stroke-linecap', 'round');
  svg.setAttribute('stroke-linejoin', 'round');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', pathData);
  svg.append(path);
  return svg;
}

/** Brand mark used in the sidebar and the login card. */
export function brandMark() {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 32 32');
  svg.setAttribute('class', 'brand-mark');
  svg.setAttribute('aria-hidden', 'true');
  const rect = document.createElementNS(ns, 'rect');
  for (const [k, v] of Object.entries({ width: 32, height: 32, rx: 7, fill: '#2563eb' })) rect.setAttribute(k, String(v));
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', 'M9 23 16 8l7 15h-3.2L16 14.6 12.2 23z');
  path.setAttribute('fill', '#fff');
  const dot = document.createElementNS(ns, 'circle');
  for (const [k, v] of Object.entries({ cx: 16, cy: 21, r: 2, fill: '#bfdbfe' })) dot.setAttribute(k, String(v));
  svg.append(rect, path, dot);
  return svg;
}
