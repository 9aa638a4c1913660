import { get } from '../api.js';
import { h, replace } from '../dom.js';
import { badge, card, formatTime, load, table } from '../ui.js';

const PAGE_SIZE = 25;

/** `key=value · key=value` from the canonical JSON details (the tooltip keeps the raw JSON). */
function readable(details) {
  try {
    return Object.entries(JSON.parse(details))
      .map(([key, value]) => `${key}=${value !== null && typeof value === 'object' ? JSON.stringify(value) : value}`)
      .join(' · ');
  } catch {
    return details;
  }
}

export async function auditView(target) {
  const list = h('div');
  const status = h('div');
  let offset = 0;
  replace(target,
    h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, 'Audit log'), h('p', {}, 'Append-only and hash-chained: every row commits to the one before it.')), status),
    card('Entries', null, list));

  async function verify() {
    const result = await get('/v1/audit/verify');
    replace(status, result.ok
      ? badge(`Chain verified · ${result.rows} entries`, 'ok')
      : badge(`Chain broken at #${result.brokenAtSeq} (${result.problem})`, 'danger'));
  }

  async function render() {
    await load(list, () => get(`/v1/audit?offset=${offset}&limit=${PAGE_SIZE}`), (page) => h('div', {},
      table([
        { label: '#', cell: (e) => String(e.seq) },
        { label: 'Time', cell: (e) => formatTime(e.at) },
        { label: 'Actor', cell: (e) => e.actor },
        { label: 'Action', cell: (e) => h('span', { class: 'mono' }, e.action) },
        { label: 'Target', cell: (e) => h('span', { class: 'mono truncate', title: e.target }, e.target) },
        { label: 'Details', cell: (e) => h('span', { class: 'mono truncate', title: e.details }, readable(e.details)) },
        { label: 'Hash', cell: (e) => h('span', { class: 'mono subtle', title: e.hash }, `${e.hash.slice(0, 12)}…`) },
      ], page.entries.map((e) => ({ ...e, key: String(e.seq) })), { title: 'The audit log is empty' }),
      h('div', { class: 'pager' },
        h('span', { class: 'subtle' }, page.total ? `${offset + 1}–${Math.min(offset + PAGE_SIZE, page.total)} of ${page.total}` : ''),
        h('div', {},
          h('button', { type: 'button', class: 'btn small', disabled: offset === 0, onclick: () => { offset = Math.max(0, offset - PAGE_SIZE); render(); } }, 'Newer'), ' ',
          h('button', { type: 'button', class: 'btn small', disabled: offset + PAGE_SIZE >= page.total, onclick: () => { offset += PAGE_SIZE; render(); } }, 'Older')))));
  }
  await Promise.all([verify(), render()]);
}
