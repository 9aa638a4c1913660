import { get, post } from '../api.js';
import { h, replace } from '../dom.js';
import { card, field, formatTime, isAdmin, load, submitter, table, toast } from '../ui.js';

export async function organisationsView(target, user) {
  const list = h('div');
  const name = h('input', { name: 'name', required: true, maxlength: 64, placeholder: 'e.g. Acme Bank' });
  const form = isAdmin(user)
    ? submitter(h('form', { class: 'inline card-body', 'aria-label': 'Add organisation' },
      field('Organisation name', name),
      h('button', { type: 'submit', class: 'btn primary' }, 'Add organisation')), async (values) => {
      await post('/v1/organisations', { name: values.name.trim() });
      toast(`Organisation ${values.name} added`);
      name.value = '';
      await render();
    })
    : null;
  replace(target,
    h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, 'Organisations'), h('p', {}, 'Member organisations of the consortium.'))),
    form ? card('Add an organisation', null, form) : null,
    card('All organisations', null, list));
  async function render() {
    await load(list, () => get('/v1/organisations'), (organisations) => table([
      { label: 'Name', cell: (o) => h('strong', {}, o.name) },
      { label: 'Members', cell: (o) => String(o.memberCount) },
      { label: 'Added', cell: (o) => formatTime(o.createdAt) },
      { label: 'Id', cell: (o) => h('span', { class: 'mono subtle' }, o.id) },
    ], organisations.map((o) => ({ ...o, key: o.id })), { title: 'No organisations yet', hint: 'Add the first member organisation above.' }));
  }
  await render();
}
