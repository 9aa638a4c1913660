/* global URLSearchParams */
import { get, post } from '../api.js';
import { h, replace } from '../dom.js';
import { badge, card, dialog, field, formatTime, isAdmin, load, select, statusBadge, submitter, table, toast, toastError } from '../ui.js';

const ACTIONS = {
  suspend: { label: 'Suspend', done: 'suspended', from: ['active'], message: 'The member keeps its certificates but the chain stops accepting its transactions.' },
  reinstate: { label: 'Reinstate', done: 'reinstated', from: ['suspended'], message: 'The member becomes active again.' },
  remove: { label: 'Remove', done: 'removed', from: ['invited', 'active', 'suspended'], message: 'Removal is final: every active certificate of the member is revoked.', danger: true },
};

export async function membersView(target, user) {
  const list = h('div');
  const status = select('status', [{ value: '', label: 'All statuses' }, ...['invited', 'active', 'suspended', 'revoked'].map((s) => ({ value: s, label: s }))], '');
  const role = select('role', [{ value: '', label: 'All roles' }, ...['validator', 'client', 'org-admin'].map((r) => ({ value: r, label: r }))], '');
  status.setAttribute('aria-label', 'Filter by status');
  role.setAttribute('aria-label', 'Filter by role');
  status.addEventListener('change', () => render());
  role.addEventListener('change', () => render());
  const organisations = await get('/v1/organisations');
  replace(target,
    h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, 'Members'), h('p', {}, 'Validators, clients and organisation admins. New members normally join through invitations.'))),
    card('Members', h('div', { class: 'inline' }, role, ' ', status), list),
    isAdmin(user) && organisations.length > 0 ? card('Register a member directly', null, registerForm(organisations)) : null);

  function registerForm(organisations) {
    const validatorOnly = h('div', { class: 'inline' },
      field('Node id', h('input', { name: 'nodeId', pattern: '[A-Za-z0-9][A-Za-z0-9._\\-]{0,63}' })),
      field('P2P address', h('input', { name: 'p2pAddress', placeholder: 'host:port' })),
      field('REST URL', h('input', { name: 'restUrl', placeholder: 'https://…' })));
    const roleSelect = select('role', [{ value: 'client', label: 'Client' }, { value: 'org-admin', label: 'Org admin' }, { value: 'validator', label: 'Validator' }]);
    const toggle = () => { validatorOnly.hidden = roleSelect.value !== 'validator'; };
    roleSelect.addEventListener('change', toggle);
    toggle();
    const form = submitter(h('form', { class: 'stack card-body', 'aria-label': 'Register member' },
      h('p', { class: 'subtle' }, 'For members whose keys are managed outside enrollment, or to set an initial balance for the genesis. The member stays invited until its first certificate is issued.'),
      h('div', { class: 'inline' },
        field('Organisation', select('organisationId', organisations.map((o) => ({ value: o.id, label: o.name })))),
        field('Name', h('input', { name: 'name', required: true, maxlength: 200 })),
        field('Role', roleSelect),
        field('Initial balance', h('input', { name: 'initialBalance', inputmode: 'numeric', pattern: '0|[1-9][0-9]*', value: '0' }))),
      field('Account public key (compressed secp256k1, hex)', h('input', { name: 'accountPublicKey', required: true, pattern: '0[23][0-9a-fA-F]{64}', class: 'mono' })),
      validatorOnly,
      h('div', {}, h('button', { type: 'submit', class: 'btn primary' }, 'Register member'))), async (values) => {
      const body = { organisationId: values.organisationId, name: values.name, role: values.role, accountPublicKey: values.accountPublicKey.trim(), initialBalance: values.initialBalance || '0' };
      if (values.role === 'validator') Object.assign(body, { nodeId: values.nodeId, p2pAddress: values.p2pAddress, restUrl: values.restUrl });
      await post('/v1/members', body);
      toast(`${values.name} registered`);
      form.reset();
      toggle();
      await render();
    });
    return form;
  }

  async function act(member, action) {
    const spec = ACTIONS[action];
    const confirmed = await dialog({ title: `${spec.label} ${member.name}?`, message: spec.message, confirmLabel: spec.label, danger: Boolean(spec.danger) });
    if (!confirmed) return;
    try {
      await post(`/v1/members/${member.id}/${action}`);
      toast(`${member.name} ${spec.done}`);
      await render();
    } catch (error) {
      toastError(error);
    }
  }

  async function render() {
    const query = new URLSearchParams();
    if (status.value) query.set('status', status.value);
    if (role.value) query.set('role', role.value);
    await load(list, async () => {
      const [members, organisations] = await Promise.all([get(`/v1/members${query.toString() ? `?${query}` : ''}`), get('/v1/organisations')]);
      return { members, names: new Map(organisations.map((o) => [o.id, o.name])) };
    }, ({ members, names }) => table([
      { label: 'Member', cell: (m) => h('div', {}, h('strong', {}, m.name), h('div', { class: 'subtle' }, names.get(m.organisationId) ?? '')) },
      { label: 'Role', cell: (m) => badge(m.role, m.role === 'validator' ? 'info' : '') },
      { label: 'Status', cell: (m) => statusBadge(m.status) },
      { label: 'Node / endpoint', cell: (m) => (m.nodeId ? h('div', {}, h('span', { class: 'mono' }, m.nodeId), h('div', { class: 'subtle' }, m.p2pAddress ?? '')) : h('span', { class: 'subtle' }, '—')) },
      { label: 'Account key', cell: (m) => h('span', { class: 'mono truncate', title: m.accountPublicKey }, m.accountPublicKey) },
      { label: 'Since', cell: (m) => formatTime(m.createdAt) },
      { label: 'Actions', class: 'actions', cell: (m) => (isAdmin(user)
        ? Object.entries(ACTIONS).filter(([, spec]) => spec.from.includes(m.status)).map(([action, spec]) =>
          h('button', { type: 'button', class: `btn small ${spec.danger ? 'danger' : ''}`, onclick: () => act(m, action), 'aria-label': `${spec.label} ${m.name}` }, spec.label))
        : '') },
    ], members.map((m) => ({ ...m, key: m.id })), { title: 'No members match', hint: 'Invite organisations to enroll validators and clients.' }));
  }
  await render();
}
