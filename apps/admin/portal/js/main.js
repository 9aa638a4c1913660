/* global document, window */
import { ApiError, get, post, session } from './api.js';
import { brandMark, h, replace } from './dom.js';
import { badge, field, submitter, toastError } from './ui.js';
import { auditView } from './views/audit.js';
import { certificatesView } from './views/certificates.js';
import { enrollmentsView } from './views/enrollments.js';
import { invitationsView } from './views/invitations.js';
import { membersView } from './views/members.js';
import { organisationsView } from './views/organisations.js';
import { overviewView } from './views/overview.js';
import { usersView } from './views/users.js';
import { validatorsView } from './views/validators.js';

const ROUTES = [
  { path: 'overview', label: 'Overview', view: overviewView },
  { path: 'organisations', label: 'Organisations', view: organisationsView },
  { path: 'members', label: 'Members', view: membersView },
  { path: 'invitations', label: 'Invitations', view: invitationsView },
  { path: 'enrollments', label: 'Enrollments', view: enrollmentsView, count: true },
  { path: 'certificates', label: 'Certificates', view: certificatesView },
  { path: 'validators', label: 'Validators & genesis', view: validatorsView },
  { path: 'audit', label: 'Audit log', view: auditView },
  { path: 'users', label: 'Users', view: usersView },
];

const root = document.getElementById('root');

function brand(sub) {
  return h('div', { class: 'brand' }, brandMark(), h('div', {}, h('div', { class: 'brand-name' }, 'Accord'), h('div', { class: 'brand-sub' }, sub)));
}

function showLogin(message) {
  session.token = null;
  session.user = null;
  document.getElementById('toasts').replaceChildren();
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = submitter(h('form', { class: 'stack', 'aria-label': 'Sign in' },
    field('Username', username),
    field('Password', password),
    h('button', { type: 'submit', class: 'btn primary' }, 'Sign in')), async (values) => {
    try {
      const result = await post('/v1/auth/login', { username: values.username, password: values.password });
      session.token = result.token;
      await start();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'LOGIN_THROTTLED') throw new ApiError(429, error.code, 'Too many failed sign-ins. Wait a few minutes and try again.');
      throw error;
    }
  });
  replace(root, h('main', { class: 'login' }, h('div', { class: 'login-card' },
    brand('Consortium admin'),
    h('div', {}, h('h1', {}, 'Sign in'), h('p', { class: 'lead' }, 'Manage members, certificates and the consortium register.')),
    message ? h('div', { class: 'form-error', role: 'alert' }, message) : null,
    form)));
}

function showPasswordChange() {
  const current = h('input', { name: 'currentPassword', type: 'password', autocomplete: 'current-password', required: true });
  const next = h('input', { name: 'newPassword', type: 'password', autocomplete: 'new-password', minlength: 12, required: true });
  const repeat = h('input', { name: 'repeat', type: 'password', autocomplete: 'new-password', minlength: 12, required: true });
  const form = submitter(h('form', { class: 'stack', 'aria-label': 'Choose a new password' },
    field('One-time password', current),
    field('New password', next, 'At least 12 characters.'),
    field('Repeat new password', repeat),
    h('button', { type: 'submit', class: 'btn primary' }, 'Set password')), async (values) => {
    if (values.newPassword !== values.repeat) throw new ApiError(400, 'PASSWORD_MISMATCH', 'The two new passwords differ');
    await post('/v1/auth/password', { currentPassword: values.currentPassword, newPassword: values.newPassword });
    await start();
  });
  replace(root, h('main', { class: 'login' }, h('div', { class: 'login-card' },
    brand('Consortium admin'),
    h('div', {}, h('h1', {}, 'Choose your password'), h('p', { class: 'lead' }, 'You signed in with a one-time password. Choose your own before continuing.')),
    form)));
}

let pendingCount = 0;

function currentRoute() {
  const path = window.location.hash.replace(/^#\/?/, '') || 'overview';
  return ROUTES.find((route) => route.path === path) ?? ROUTES[0];
}

function renderShell() {
  const route = currentRoute();
  const content = h('div', { class: 'content', id: 'content', tabindex: '-1' });
  const nav = h('nav', { class: 'nav', 'aria-label': 'Sections' }, ROUTES.map((item) =>
    h('a', { href: `#/${item.path}`, 'aria-current': item === route ? 'page' : null },
      h('span', {}, item.label),
      item.count && pendingCount > 0 ? h('span', { class: 'count', 'aria-label': `${pendingCount} pending` }, String(pendingCount)) : null)));
  const user = session.user;
  const logout = h('button', { class: 'btn small', type: 'button', onclick: async () => {
    try {
      await post('/v1/auth/logout');
    } finally {
      showLogin();
    }
  } }, 'Sign out');
  replace(root, h('a', { class: 'skip-link', href: '#content', onclick: (event) => { event.preventDefault(); content.focus(); } }, 'Skip to content'), h('div', { class: 'shell' },
    h('aside', { class: 'sidebar' }, brand('Consortium admin'), nav,
      h('div', { class: 'sidebar-foot' }, h('a', { href: '/docs', target: '_blank', rel: 'noopener' }, 'API reference'))),
    h('div', { class: 'main' },
      h('header', { class: 'topbar' },
        h('div', { class: 'subtle' }, route.label),
        h('div', { class: 'who' }, h('span', {}, 'Signed in as ', h('strong', {}, user.username)), badge(user.role, user.role === 'admin' ? 'info' : ''), logout)),
      h('main', {}, content))));
  route.view(content, user).catch(toastError);
}

async function refreshPendingCount() {
  try {
    pendingCount = (await get('/v1/enrollments?status=pending')).length;
  } catch {
    pendingCount = 0;
  }
}

async function start() {
  if (!session.token) return showLogin();
  try {
    session.user = await get('/v1/auth/me');
  } catch {
    return showLogin();
  }
  if (session.user.mustChangePassword) return showPasswordChange();
  await refreshPendingCount();
  renderShell();
}

session.onExpired = () => showLogin('Your session has ended. Sign in again.');
window.addEventListener('hashchange', async () => {
  if (!session.user || session.user.mustChangePassword) return;
  await refreshPendingCount();
  renderShell();
});
start();
