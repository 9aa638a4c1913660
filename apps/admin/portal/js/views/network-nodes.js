import { api, get, post } from '../api.js';
import { h } from '../dom.js';
import { badge, card, dialog, field, isAdmin, load, select, submitter, table, toast, toastError } from '../ui.js';

const ROLE_KINDS = { voter: 'ok', learner: 'info', observer: '', removed: 'danger' };

const ACTIONS = {
  promote: { label: 'Promote', message: 'The learner becomes a voter: from the block that commits this, consensus counts its vote. The admin checks first that it has caught up and that the quorum stays reachable.' },
  remove: { label: 'Remove', message: 'Removal is final: the node leaves the network and its id is never reused. The admin checks first that the remaining live voters still make a quorum.', danger: true },
};

/** The chain's node set (voters, learners, observers) with promote / remove, and adding an enrolled validator. */
export function networkNodesCard(user, validators) {
  const body = h('div');
  const section = card('Network node set (on chain)', h('button', { type: 'button', class: 'btn small', onclick: () => render() }, 'Refresh'), body);

  async function act(node, action) {
    const spec = ACTIONS[action];
    const confirmed = await dialog({ title: `${spec.label} ${node.nodeId}?`, message: spec.message, confirmLabel: spec.label, danger: Boolean(spec.danger) });
    if (!confirmed) return;
    try {
      const result = action === 'promote' ? await post(`/v1/network/nodes/${encodeURIComponent(node.nodeId)}/promote`) : await api('DELETE', `/v1/network/nodes/${encodeURIComponent(node.nodeId)}`);
      toast(result.status === 'submitted' ? `${result.change} ${node.nodeId} submitted` : `${result.change} ${node.nodeId} queued: no validator reachable`);
      await render();
    } catch (error) {
      toastError(error);
    }
  }

  function addForm(set) {
    const inSet = new Set(set.nodes.map((n) => n.nodeId));
    const candidates = validators.filter((v) => v.memberStatus === 'active' && v.nodeId && !inSet.has(v.nodeId));
    if (candidates.length === 0) return h('p', { class: 'card-body subtle' }, 'Every active validator member is in the node set. Invite an organisation with the validator role to add another.');
    return submitter(h('form', { class: 'inline card-body', 'aria-label': 'Add node' },
      field('Validator', select('nodeId', candidates.map((v) => ({ value: v.nodeId, label: v.nodeId })))),
      field('Joins as', select('role', [{ value: 'learner', label: 'Learner (can be promoted to voter)' }, { value: 'observer', label: 'Observer (never votes)' }])),
      h('button', { type: 'submit', class: 'btn primary' }, 'Add to network')), async (values) => {
      const result = await post('/v1/network/nodes', { nodeId: values.nodeId, role: values.role });
      toast(`${values.nodeId} ${result.status === 'submitted' ? 'submitted' : 'queued'} as ${values.role}`);
      await render();
    });
  }

  async function render() {
    await load(body, () => get('/v1/network/nodes'), (set) => h('div', {},
      h('p', { class: 'card-body subtle' }, `As ${set.source} reports it at height ${set.height} (${set.consensus}); voters decide since height ${set.votersSince}.`,
        set.lastChange ? ` Last change: ${set.lastChange.change} ${set.lastChange.nodeId}, ${set.lastChange.state}.` : ''),
      table([
        { label: 'Node', cell: (n) => h('div', {}, h('span', { class: 'mono' }, n.nodeId), h('div', { class: 'subtle' }, n.organization)) },
        { label: 'Role', cell: (n) => badge(n.role, ROLE_KINDS[n.role] ?? '') },
        { label: 'Since', cell: (n) => `height ${n.sinceHeight}` },
        { label: 'Status', cell: (n) => (n.role === 'removed' ? '—' : n.reachable ? badge(`online · height ${n.height ?? '?'}`, 'ok') : badge(n.lastCheckedAt ? 'unreachable' : 'not polled yet', n.lastCheckedAt ? 'danger' : '')) },
        {
          label: 'Actions',
          cell: (n) => (isAdmin(user) && n.role !== 'removed'
            ? h('div', { class: 'inline' },
              n.role === 'learner' ? h('button', { type: 'button', class: 'btn small', onclick: () => act(n, 'promote') }, 'Promote') : null,
              h('button', { type: 'button', class: 'btn small danger', onclick: () => act(n, 'remove') }, 'Remove'))
            : null),
        },
      ], set.nodes.map((n) => ({ ...n, key: n.nodeId })), { title: 'No nodes', hint: '' }),
      isAdmin(user) ? addForm(set) : null));
  }

  void render();
  return section;
}
