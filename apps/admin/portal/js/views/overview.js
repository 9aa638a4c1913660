import { get } from '../api.js';
import { h, replace } from '../dom.js';
import { badge, card, formatTime, loading } from '../ui.js';

function stat(label, value, hint, href) {
  return h('a', { class: 'card stat', href, 'aria-label': `${label}: ${value}` },
    h('div', { class: 'label' }, label), h('div', { class: 'value' }, String(value)), hint ? h('div', { class: 'hint' }, hint) : null);
}

export async function overviewView(target) {
  replace(target, h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, 'Overview'), h('p', {}, 'The state of the consortium at a glance.'))), loading());
  const [organisations, members, enrollments, certificates, audit, validators] = await Promise.all([
    get('/v1/organisations'), get('/v1/members'), get('/v1/enrollments?status=pending'), get('/v1/certificates'), get('/v1/audit/verify'), get('/v1/validators'),
  ]);
  let genesis = null;
  try {
    genesis = await get('/v1/consortium/genesis');
  } catch {
    genesis = null;
  }
  const active = certificates.filter((c) => c.status === 'active');
  const expiring = active.filter((c) => c.expiresSoon);
  replace(target,
    h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, 'Overview'), h('p', {}, 'The state of the consortium at a glance.'))),
    h('div', { class: 'stats' },
      stat('Organisations', organisations.length, null, '#/organisations'),
      stat('Active members', members.filter((m) => m.status === 'active').length, `${members.length} registered`, '#/members'),
      stat('Pending enrollments', enrollments.length, enrollments.length ? 'Waiting for a decision' : 'Nothing to review', '#/enrollments'),
      stat('Active certificates', active.length, expiring.length ? `${expiring.length} expiring within 30 days` : 'None expiring soon', '#/certificates'),
      stat('Validators', validators.length, `${validators.filter((v) => v.reachable).length} reachable`, '#/validators')),
    h('div', { class: 'grid-2' },
      card('Audit log', null, h('div', { class: 'card-body' },
        h('dl', { class: 'kv' },
          h('dt', {}, 'Hash chain'), h('dd', {}, audit.ok ? badge('Verified', 'ok') : badge(`Broken at #${audit.brokenAtSeq}`, 'danger')),
          h('dt', {}, 'Entries'), h('dd', {}, String(audit.rows)),
          h('dt', {}, 'Head hash'), h('dd', { class: 'mono' }, audit.headHash ?? '—')))),
      card('Genesis', null, h('div', { class: 'card-body' },
        genesis
          ? h('dl', { class: 'kv' },
            h('dt', {}, 'Chain id'), h('dd', {}, genesis.chainId),
            h('dt', {}, 'Consensus'), h('dd', {}, genesis.consensus.type),
            h('dt', {}, 'Genesis time'), h('dd', {}, formatTime(genesis.genesisTime)),
            h('dt', {}, 'Validators'), h('dd', {}, String(genesis.validators.length)))
          : h('p', { class: 'subtle' }, 'Not generated yet. Enroll the validators, then freeze the genesis under Validators & genesis.')))));
}
