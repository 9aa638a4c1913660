/* global fetch */
import { get, post } from '../api.js';
import { h, replace } from '../dom.js';
import { networkNodesCard } from './network-nodes.js';
import { badge, card, download, field, formatTime, isAdmin, load, reload, select, statusBadge, submitter, table, toast } from '../ui.js';

/** Height, consensus role and peers from the validator's own /v1/status, with identity checks. */
function reportedSummary(v) {
  const r = v.reported;
  if (!r) return h('span', { class: 'subtle' }, v.error ?? '—');
  const parts = [];
  if (r.height !== undefined) parts.push(`height ${r.height}`);
  if (r.consensus && r.consensus.role) parts.push(r.consensus.role);
  if (Array.isArray(r.peers)) parts.push(`${r.peers.length} peer${r.peers.length === 1 ? '' : 's'}`);
  return [
    h('span', {}, parts.join(' · ') || 'answering'),
    r.nodeId && r.nodeId !== v.nodeId ? [' ', badge(`reports node id ${r.nodeId}`, 'danger')] : null,
  ];
}

export async function validatorsView(target, user) {
  const list = h('div');
  const genesisSlot = h('div');
  const governanceSlot = h('div');
  const networkSlot = h('div');
  replace(target,
    h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, 'Validators & genesis'), h('p', {}, 'The validator set, as last polled, the node set on chain, and the frozen genesis they start from.'))),
    governanceSlot,
    card('Validators', h('button', { type: 'button', class: 'btn small', onclick: () => render() }, 'Refresh'), list),
    networkSlot,
    genesisSlot);

  async function renderGenesis() {
    // Read raw: the hash header belongs to the exact bytes served.
    let genesis = null;
    let hash = '';
    const response = await fetch('/v1/consortium/genesis');
    if (response.ok) {
      hash = response.headers.get('x-genesis-hash') ?? '';
      genesis = await response.json();
    }
    if (genesis) {
      replace(networkSlot, networkNodesCard(user, await get('/v1/validators')));
      replace(genesisSlot, card('Genesis (frozen)', h('button', { type: 'button', class: 'btn small', onclick: () => download('genesis.json', JSON.stringify(genesis), 'application/json') }, 'Download genesis.json'),
        h('div', { class: 'card-body' }, h('dl', { class: 'kv' },
          h('dt', {}, 'Chain id'), h('dd', {}, genesis.chainId),
          h('dt', {}, 'Genesis hash (SHA-256)'), h('dd', { class: 'mono' }, hash),
          h('dt', {}, 'Consensus'), h('dd', {}, `${genesis.consensus.type} · block every ${genesis.consensus.blockIntervalMs} ms`),
          h('dt', {}, 'Genesis time'), h('dd', {}, formatTime(genesis.genesisTime)),
          h('dt', {}, 'Governance key'), h('dd', { class: 'mono' }, genesis.governanceKeys.join(', ')),
          h('dt', {}, 'Members / validators'), h('dd', {}, `${genesis.members.length} / ${genesis.validators.length}`)))));
      return;
    }
    const body = isAdmin(user)
      ? submitter(h('form', { class: 'inline card-body', 'aria-label': 'Generate genesis' },
        field('Consensus', select('consensus', [{ value: 'raft', label: 'Raft (crash fault tolerant)' }, { value: 'pbft', label: 'PBFT (Byzantine fault tolerant)' }])),
        field('Block interval (ms)', h('input', { name: 'blockIntervalMs', type: 'number', min: 1, value: 1000, required: true })),
        h('button', { type: 'submit', class: 'btn primary' }, 'Generate and freeze genesis')), async (values) => {
        const frozen = await post('/v1/consortium/genesis', { consensus: values.consensus, blockIntervalMs: Number(values.blockIntervalMs) });
        toast(`Genesis frozen: ${frozen.hash.slice(0, 16)}…`);
        reload();
      })
      : h('p', { class: 'card-body subtle' }, 'No genesis yet.');
    replace(genesisSlot, card('Genesis', null, h('div', {}, h('p', { class: 'card-body subtle' }, 'Once generated, the genesis is frozen: validators get the same bytes every time. Later membership changes are sent as governance transactions.'), body)));
  }

  async function renderGovernance() {
    const status = await get('/v1/consortium/governance');
    replace(governanceSlot, status.pending.length
      ? h('div', { class: 'secret', role: 'status' }, h('strong', {}, `${status.pending.length} governance change(s) waiting for a validator`),
        h('p', { class: 'subtle' }, 'They are retried in order until a validator accepts them: ', status.pending.map((item) => (item.nodeId ? `${item.change} ${item.nodeId}` : `${item.change} ${item.memberId.slice(0, 8)}…`)).join(', ')))
      : null);
  }

  async function render() {
    await load(list, () => get('/v1/validators'), (validators) => table([
      { label: 'Node', cell: (v) => h('span', { class: 'mono' }, v.nodeId) },
      { label: 'Membership', cell: (v) => statusBadge(v.memberStatus) },
      { label: 'Reachability', cell: (v) => (v.reachable ? badge([h('span', { class: 'dot' }), ' online'], 'ok') : badge([h('span', { class: 'dot' }), v.lastCheckedAt ? ' unreachable' : ' not polled yet'], v.lastCheckedAt ? 'danger' : '')) },
      { label: 'Reported', cell: reportedSummary },
      { label: 'Last seen', cell: (v) => formatTime(v.lastSeenAt) },
      { label: 'P2P / REST', cell: (v) => h('div', {}, h('span', { class: 'mono' }, v.p2pAddress ?? '—'), h('div', { class: 'subtle' }, v.restUrl ?? '')) },
    ], validators.map((v) => ({ ...v, key: v.memberId })), { title: 'No validators yet', hint: 'Invite organisations with the validator role.' }));
  }
  await Promise.all([render(), renderGenesis(), renderGovernance()]);
}
