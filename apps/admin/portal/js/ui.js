/* global document, window, navigator, Blob, FormData, setTimeout */
import { h, replace } from './dom.js';

/** A short message in the corner. */
export function toast(message, kind = 'info') {
  const box = document.getElementById('toasts');
  const item = h('div', { class: `toast ${kind === 'error' ? 'error' : ''}`, title: 'Click to dismiss', onclick: () => item.remove() }, message);
  box.append(item);
  // Keep the corner readable: at most three messages, the oldest goes first.
  while (box.children.length > 3) box.firstElementChild.remove();
  setTimeout(() => item.remove(), kind === 'error' ? 8000 : 4000);
}

/** Shows an API error as a toast with its code. */
export function toastError(error) {
  toast(error && error.code ? `${error.message} (${error.code})` : String(error), 'error');
}

export function badge(text, kind = '') {
  return h('span', { class: `badge ${kind}` }, text);
}

const STATUS_KINDS = {
  active: 'ok', approved: 'ok', open: 'info', pending: 'warn', invited: 'info', suspended: 'warn',
  revoked: 'danger', rejected: 'danger', used: '', expired: 'danger',
};

/** A badge coloured by a status word. */
export function statusBadge(status) {
  return badge(status, STATUS_KINDS[status] ?? '');
}

export function formatTime(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 16)} UTC`;
}

export function formatDate(iso) {
  return iso ? new Date(iso).toISOString().slice(0, 10) : '—';
}

/** A card with a header (title + optional actions) and a body. */
export function card(title, actions, ...body) {
  return h('section', { class: 'card', 'aria-label': title },
    h('div', { class: 'card-head' }, h('h2', {}, title), actions ? h('div', {}, actions) : null),
    ...body);
}

/** A table, or an empty state when there are no rows. */
export function table(columns, rows, empty) {
  if (rows.length === 0) {
    return h('div', { class: 'empty' }, h('strong', {}, empty.title), empty.hint ?? '');
  }
  return h('div', { class: 'table-wrap' },
    h('table', {},
      h('thead', {}, h('tr', {}, columns.map((column) => h('th', { scope: 'col', class: column.class ?? null }, column.label)))),
      h('tbody', {}, rows.map((row) => h('tr', { 'data-key': row.key ?? null }, columns.map((column) => h('td', { class: column.class ?? null }, column.cell(row))))))));
}

export function loading() {
  return h('div', { class: 'loading', role: 'status' }, 'Loading…');
}

export function errorState(error) {
  return h('div', { class: 'error-state', role: 'alert' }, `Could not load: ${error.message}${error.code ? ` (${error.code})` : ''}`);
}

/** A labelled form control; `control` gets the id. */
export function field(label, control, help) {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, help ? h('span', { class: 'help' }, help) : null);
}

/** A select with `{value, label}` options. */
export function select(name, options, value) {
  return h('select', { name }, options.map((option) => h('option', { value: option.value, selected: option.value === value }, option.label)));
}

/**
 * A modal dialog; resolves with the form's values on submit, or null on cancel.
 * `fields` are DOM fields; `confirmLabel`/`danger` style the confirm button.
 */
export function dialog({ title, message, fields = [], confirmLabel = 'Confirm', danger = false }) {
  return new Promise((resolve) => {
    const form = h('form', { method: 'dialog', class: 'card-body' },
      h('h2', {}, title),
      message ? h('p', {}, message) : null,
      ...fields,
      h('div', { class: 'buttons' },
        h('button', { type: 'button', class: 'btn', value: 'cancel', onclick: () => close(null) }, 'Cancel'),
        h('button', { type: 'submit', class: `btn ${danger ? 'danger solid' : 'primary'}` }, confirmLabel)));
    const element = h('dialog', { 'aria-label': title }, form);
    function close(result) {
      element.close();
      element.remove();
      resolve(result);
    }
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      close(Object.fromEntries(new FormData(form).entries()));
    });
    element.addEventListener('cancel', () => close(null));
    document.body.append(element);
    element.showModal();
  });
}

/** Offers text as a file download. */
export function download(filename, content, type = 'application/x-pem-file') {
  const blob = content instanceof Blob ? content : new Blob([content], { type });
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Copies text, reporting the result. */
export async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    toast('Copied to the clipboard');
  } catch {
    toast('Copy failed: select the text and copy it manually', 'error');
  }
}

/** Loads data for a view, showing loading and error states in `target`. */
export async function load(target, loader, render) {
  replace(target, loading());
  try {
    const data = await loader();
    replace(target, render(data));
  } catch (error) {
    replace(target, errorState(error));
  }
}

/** Submits a form through `action`, showing an inline error and disabling the button meanwhile. */
export function submitter(form, action) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type="submit"]');
    form.querySelector('.form-error')?.remove();
    button.disabled = true;
    try {
      await action(Object.fromEntries(new FormData(form).entries()));
    } catch (error) {
      form.append(h('div', { class: 'form-error', role: 'alert' }, `${error.message}${error.code ? ` (${error.code})` : ''}`));
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

export const isAdmin = (user) => user && user.role === 'admin';
export const reload = () => window.dispatchEvent(new window.HashChangeEvent('hashchange'));
