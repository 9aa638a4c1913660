import { get, post } from '../api.js';
import { h, replace } from '../dom.js';
import { badge, card, dialog, field, formatTime, isAdmin, load, reload, statusBadge, table, toast, toastError } from '../ui.js';

export async function enrollmentsView(target, user) {
  const pending = h('div');
  const decided = h('div');
  replace(target,
    h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, 'Enrollments'), h('p', {}, 'Requests made with an invitation token. Approving issues the certificate from the member\'s CSR.'))),
    card('Waiting for a decision', null, pending),
    card('Decided', null, decided));

  async function approve(enrollment) {
    const ok = await dialog({ title: `Approve ${enrollment.memberName}?`, message: `A ${enrollment.role} certificate will be issued for key ${enrollment.csrSpkiSha256.slice(0, 16)}…`, confirmLabel: 'Approve and issue' });
    if (!ok) return;
    try {
      const result = await post(`/v1/enrollments/${enrollment.id}/approve`);
      toast(`Approved: certificate ${result.certificateSerial} issued`);
      reload();
    } catch (error) {
      toastError(error);
    }
  }

  async function reject(enrollment) {
    const reason = h('input', { name: 'reason', required: true, maxlength: 500 });
    const values = await dialog({ title: `Reject ${enrollment.memberName}?`, fields: [field('Reason', reason, 'Recorded in the audit log and shown to the member.')], confirmLabel: 'Reject', danger: true });
    if (!values) return;
    try {
      await post(`/v1/enrollments/${enrollment.id}/reject`, { reason: values.reason });
      toast('Enrollment rejected');
      reload();
    } catch (error) {
      toastError(error);
    }
  }

  const data = get('/v1/enrollments').then(async (enrollments) => ({ enrollments, names: new Map((await get('/v1/organisations')).map((o) => [o.id, o.name])) }));
  const who = (e, names) => h('div', {}, h('strong', {}, e.memberName), h('div', { class: 'subtle' }, names.get(e.organisationId) ?? ''));
  await load(pending, () => data, ({ enrollments, names }) => table([
    { label: 'Member', cell: (e) => who(e, names) },
    { label: 'Role', cell: (e) => badge(e.role, e.role === 'validator' ? 'info' : '') },
    { label: 'Node', cell: (e) => (e.nodeId ? h('span', { class: 'mono' }, e.nodeId) : h('span', { class: 'subtle' }, '—')) },
    { label: 'CSR key (SHA-256)', cell: (e) => h('span', { class: 'mono truncate', title: e.csrSpkiSha256 }, e.csrSpkiSha256) },
    { label: 'Received', cell: (e) => formatTime(e.createdAt) },
    { label: 'Decision', class: 'actions', cell: (e) => (isAdmin(user)
      ? [h('button', { type: 'button', class: 'btn small primary', onclick: () => approve(e), 'aria-label': `Approve ${e.memberName}` }, 'Approve'),
        h('button', { type: 'button', class: 'btn small danger', onclick: () => reject(e), 'aria-label': `Reject ${e.memberName}` }, 'Reject')]
      : h('span', { class: 'subtle' }, 'admins decide')) },
  ], enrollments.filter((e) => e.status === 'pending').map((e) => ({ ...e, key: e.id })), { title: 'No pending enrollments', hint: 'New requests appear here when members enroll with their token.' }));
  await load(decided, () => data, ({ enrollments, names }) => table([
    { label: 'Member', cell: (e) => who(e, names) },
    { label: 'Role', cell: (e) => badge(e.role) },
    { label: 'Status', cell: (e) => statusBadge(e.status) },
    { label: 'Certificate', cell: (e) => (e.certificateSerial ? h('span', { class: 'mono' }, e.certificateSerial) : e.rejectReason ?? '—') },
    { label: 'Decided by', cell: (e) => e.decidedBy ?? '—' },
    { label: 'When', cell: (e) => formatTime(e.decidedAt) },
  ], enrollments.filter((e) => e.status !== 'pending').map((e) => ({ ...e, key: e.id })), { title: 'Nothing decided yet' }));
}
