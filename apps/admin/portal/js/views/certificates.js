/* global atob, Blob */
import { get, post } from '../api.js';
import { h, replace } from '../dom.js';
import { badge, card, dialog, download, field, formatDate, isAdmin, load, reload, select, statusBadge, submitter, table, toast, toastError } from '../ui.js';

const REASONS = [
  { value: 'keyCompromise', label: 'Key compromise' },
  { value: 'affiliationChanged', label: 'Affiliation changed' },
  { value: 'superseded', label: 'Superseded' },
  { value: 'cessationOfOperation', label: 'Cessation of operation' },
  { value: 'privilegeWithdrawn', label: 'Privilege withdrawn' },
  { value: 'unspecified', label: 'Unspecified' },
];

const REASON_LABELS = new Map(REASONS.map((reason) => [reason.value, reason.label]));

export async function certificatesView(target, user) {
  const list = h('div');
  const filter = select('status', [{ value: '', label: 'All' }, { value: 'active', label: 'Active' }, { value: 'revoked', label: 'Revoked' }], '');
  filter.setAttribute('aria-label', 'Filter by status');
  filter.addEventListener('change', () => render());
  const members = await get('/v1/members');
  const byId = new Map(members.map((m) => [m.id, m]));
  const issuable = members.filter((m) => m.status === 'active' || m.status === 'invited');
  const memberOptions = issuable.map((m) => ({ value: m.id, label: `${m.name} (${m.role})` }));

  const forms = [];
  if (isAdmin(user) && issuable.length > 0) {
    forms.push(card('Issue from a CSR', null, submitter(h('form', { class: 'stack card-body', 'aria-label': 'Issue certificate from CSR' },
      field('Member', select('memberId', memberOptions)),
      field('Certificate signing request (PEM)', h('textarea', { name: 'csrPem', required: true, placeholder: '-----BEGIN CERTIFICATE REQUEST-----' }), 'The profile follows the member\'s role; the subject is set by the CA.'),
      h('div', {}, h('button', { type: 'submit', class: 'btn primary' }, 'Issue certificate'))), async (values) => {
      const issued = await post('/v1/certificates', { memberId: values.memberId, csrPem: values.csrPem });
      toast(`Certificate ${issued.serial} issued`);
      reload();
    })));
    forms.push(card('Issue with a server-generated key', null, submitter(h('form', { class: 'stack card-body', 'aria-label': 'Issue PKCS#12 bundle' },
      h('p', { class: 'subtle' }, 'For members that cannot create a CSR. The key is returned once inside a password-protected PKCS#12 file and never stored.'),
      field('Member', select('memberId', memberOptions)),
      field('Bundle password', h('input', { name: 'password', type: 'password', minlength: 8, required: true, autocomplete: 'new-password' }), 'At least 8 characters; share it separately from the file.'),
      h('div', {}, h('button', { type: 'submit', class: 'btn primary' }, 'Generate and download .p12'))), async (values) => {
      const result = await post('/v1/certificates/pkcs12', { memberId: values.memberId, password: values.password });
      const bytes = Uint8Array.from(atob(result.pkcs12Base64), (c) => c.charCodeAt(0));
      download(`${result.certificate.serial}.p12`, new Blob([bytes], { type: 'application/x-pkcs12' }));
      toast(`Certificate ${result.certificate.serial} issued; bundle downloaded`);
      reload();
    })));
  }

  replace(target,
    h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, 'Certificates'), h('p', {}, 'Everything the issuing CA has signed. Revocations are published at /v1/crl and /v1/revocations.'))),
    card('Certificates', h('div', { class: 'inline' }, filter,
      h('a', { class: 'btn small', href: '/v1/crl', download: 'accord.crl.pem' }, 'Download CRL')), list),
    forms.length ? h('div', { class: 'grid-2' }, forms) : null);

  async function renew(cert) {
    const csr = h('textarea', { name: 'csrPem', placeholder: 'Leave empty to keep the current key' });
    const values = await dialog({ title: `Renew ${cert.serial}?`, message: 'A new certificate with a new serial is issued; the current one stays valid until it expires or is revoked.', fields: [field('New CSR (optional)', csr)], confirmLabel: 'Renew' });
    if (!values) return;
    try {
      const renewed = await post(`/v1/certificates/${cert.serial}/renew`, values.csrPem.trim() ? { csrPem: values.csrPem } : {});
      toast(`Renewed as ${renewed.serial}`);
      reload();
    } catch (error) {
      toastError(error);
    }
  }

  async function revoke(cert) {
    const reason = select('reason', REASONS, 'keyCompromise');
    const values = await dialog({ title: `Revoke ${cert.serial}?`, message: 'Validators refuse the certificate as soon as they poll the revocation list. This cannot be undone.', fields: [field('Reason', reason)], confirmLabel: 'Revoke certificate', danger: true });
    if (!values) return;
    try {
      await post(`/v1/certificates/${cert.serial}/revoke`, { reason: values.reason });
      toast(`Certificate ${cert.serial} revoked`);
      reload();
    } catch (error) {
      toastError(error);
    }
  }

  async function render() {
    await load(list, () => get(`/v1/certificates${filter.value ? `?status=${filter.value}` : ''}`), (certificates) => table([
      { label: 'Serial', cell: (c) => h('span', { class: 'mono' }, c.serial) },
      { label: 'Member', cell: (c) => byId.get(c.memberId)?.name ?? c.memberId },
      { label: 'Profile', cell: (c) => badge(c.profile, c.profile === 'validator' ? 'info' : '') },
      { label: 'Status', cell: (c) => [statusBadge(c.status), c.expiresSoon ? [' ', badge('expires soon', 'warn')] : null, c.revocationReason ? h('div', { class: 'subtle' }, REASON_LABELS.get(c.revocationReason) ?? c.revocationReason) : null] },
      { label: 'Valid until', cell: (c) => formatDate(c.notAfter) },
      { label: 'Key (SPKI SHA-256)', cell: (c) => h('span', { class: 'mono truncate', title: c.spkiSha256 }, c.spkiSha256) },
      { label: 'Actions', class: 'actions', cell: (c) => [
        h('button', { type: 'button', class: 'btn small', onclick: () => download(`${c.serial}.pem`, c.pem), 'aria-label': `Download PEM ${c.serial}` }, 'PEM'),
        isAdmin(user) && c.status === 'active' ? h('button', { type: 'button', class: 'btn small', onclick: () => renew(c), 'aria-label': `Renew ${c.serial}` }, 'Renew') : null,
        isAdmin(user) && c.status === 'active' ? h('button', { type: 'button', class: 'btn small danger', onclick: () => revoke(c), 'aria-label': `Revoke ${c.serial}` }, 'Revoke') : null,
      ] },
    ], certificates.map((c) => ({ ...c, key: c.serial })), { title: 'No certificates', hint: 'Certificates appear here when enrollments are approved or issued directly.' }));
  }
  await render();
}
