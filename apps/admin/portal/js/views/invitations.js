/* global window */
import { get, post } from '../api.js';
import { h, replace } from '../dom.js';
import { badge, card, copy, field, formatTime, isAdmin, load, select, statusBadge, submitter, table } from '../ui.js';

export async function invitationsView(target, user) {
  const list = h('div');
  const secretSlot = h('div');
  const organisations = await get('/v1/organisations');
  const names = new Map(organisations.map((o) => [o.id, o.name]));
  let form = null;
  if (isAdmin(user) && organisations.length > 0) {
    const expiry = h('input', { name: 'expiresInHours', type: 'number', min: 1, max: 720, value: 72, required: true });
    form = submitter(h('form', { class: 'inline card-body', 'aria-label': 'Create invitation' },
      field('Organisation', select('organisationId', organisations.map((o) => ({ value: o.id, label: o.name })))),
      field('Role', select('role', [{ value: 'validator', label: 'Validator' }, { value: 'client', label: 'Client' }, { value: 'org-admin', label: 'Org admin' }])),
      field('Valid for (hours)', expiry),
      field('Note', h('input', { name: 'note', maxlength: 200, placeholder: 'Who it is for' })),
      h('div', { class: 'field check' }, h('input', { type: 'checkbox', name: 'autoApprove', id: 'auto-approve' }), h('label', { for: 'auto-approve' }, 'Approve automatically')),
      h('button', { type: 'submit', class: 'btn primary' }, 'Create invitation')), async (values) => {
      const body = { organisationId: values.organisationId, role: values.role, expiresInHours: Number(values.expiresInHours), autoApprove: values.autoApprove === 'on' };
      if (values.note) body.note = values.note;
      const created = await post('/v1/invitations', body);
      showToken(created.token, names.get(created.invitation.organisationId), created.invitation.role);
      await render();
    });
  }

  function showToken(token, organisation, role) {
    const input = h('input', { readonly: true, value: token, 'aria-label': 'Enrollment token' });
    replace(secretSlot, h('div', { class: 'secret', role: 'region', 'aria-label': 'New enrollment token' },
      h('strong', {}, `Enrollment token for ${organisation} (${role})`),
      h('p', { class: 'subtle' }, 'Send it to the member over a trusted channel. It is shown only now and works once.'),
      h('div', { class: 'row' }, input,
        h('button', { type: 'button', class: 'btn', onclick: () => copy(token) }, 'Copy token'),
        h('button', { type: 'button', class: 'btn', onclick: () => replace(secretSlot) }, 'Done'))));
    input.select();
    window.scrollTo(0, 0);
  }

  replace(target,
    h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, 'Invitations'), h('p', {}, 'One-time tokens with which a member organisation enrolls a validator or client.'))),
    secretSlot,
    form ? card('Create an invitation', null, form) : null,
    organisations.length === 0 ? card('Create an invitation', null, h('div', { class: 'empty' }, h('strong', {}, 'No organisations yet'), h('a', { href: '#/organisations' }, 'Add an organisation first.'))) : null,
    card('Invitations', null, list));

  async function render() {
    await load(list, () => get('/v1/invitations'), (invitations) => table([
      { label: 'Organisation', cell: (i) => h('strong', {}, names.get(i.organisationId) ?? i.organisationId) },
      { label: 'Role', cell: (i) => badge(i.role, i.role === 'validator' ? 'info' : '') },
      { label: 'State', cell: (i) => statusBadge(i.state) },
      { label: 'Approval', cell: (i) => (i.autoApprove ? 'automatic' : 'manual') },
      { label: 'Expires', cell: (i) => formatTime(i.expiresAt) },
      { label: 'Note', cell: (i) => i.note ?? h('span', { class: 'subtle' }, '—') },
      { label: 'Created by', cell: (i) => i.createdBy },
    ], invitations.map((i) => ({ ...i, key: i.id })), { title: 'No invitations yet', hint: 'Create one above and send the token to the member.' }));
  }
  await render();
}
