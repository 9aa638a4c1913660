import { get, post } from '../api.js';
import { h, replace } from '../dom.js';
import { badge, card, copy, dialog, field, formatTime, isAdmin, load, select, submitter, table, toast, toastError } from '../ui.js';

export async function usersView(target, user) {
  const list = h('div');
  const secretSlot = h('div');
  const username = h('input', { name: 'username', required: true, pattern: '[a-z0-9][a-z0-9._\\-]{1,63}', placeholder: 'e.g. auditor.jane' });
  const form = isAdmin(user)
    ? submitter(h('form', { class: 'inline card-body', 'aria-label': 'Add user' },
      field('Username', username, 'Lower-case letters, digits, . _ -'),
      field('Role', select('role', [{ value: 'auditor', label: 'Auditor (read-only)' }, { value: 'admin', label: 'Admin' }])),
      h('button', { type: 'submit', class: 'btn primary' }, 'Add user')), async (values) => {
      const created = await post('/v1/users', { username: values.username, role: values.role });
      showOneTimePassword(created);
      username.value = '';
      await render();
    })
    : null;
  function showOneTimePassword(result) {
    const input = h('input', { readonly: true, value: result.oneTimePassword, 'aria-label': 'One-time password' });
    replace(secretSlot, h('div', { class: 'secret', role: 'region', 'aria-label': 'New one-time password' },
      h('strong', {}, `One-time password for ${result.user.username}`),
      h('p', { class: 'subtle' }, 'Shown only now. The user must choose a new password at first sign-in.'),
      h('div', { class: 'row' }, input,
        h('button', { type: 'button', class: 'btn', onclick: () => copy(result.oneTimePassword) }, 'Copy'),
        h('button', { type: 'button', class: 'btn', onclick: () => replace(secretSlot) }, 'Done'))));
  }

  async function act(account, action) {
    const titles = { 'reset-password': `Reset the password of ${account.username}?`, disable: `Disable ${account.username}?`, enable: `Enable ${account.username}?` };
    const messages = { 'reset-password': 'A new one-time password is shown once; current sessions end.', disable: 'The user can no longer sign in; current sessions end.', enable: 'The user can sign in again.' };
    const ok = await dialog({ title: titles[action], message: messages[action], confirmLabel: action === 'reset-password' ? 'Reset password' : action === 'disable' ? 'Disable' : 'Enable', danger: action === 'disable' });
    if (!ok) return;
    try {
      const result = await post(`/v1/users/${account.id}/${action}`);
      if (action === 'reset-password') showOneTimePassword(result);
      else toast(`${account.username} ${action}d`);
      await render();
    } catch (error) {
      toastError(error);
    }
  }

  replace(target,
    h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, 'Users'), h('p', {}, 'People who operate this portal. Auditors can read everything and change nothing.'))),
    secretSlot,
    form ? card('Add a user', null, form) : null,
    card('Users', null, list),
    card('Your password', null, passwordForm()));

  function passwordForm() {
    const done = h('div');
    const form = submitter(h('form', { class: 'inline card-body', 'aria-label': 'Change your password' },
      field('Current password', h('input', { name: 'currentPassword', type: 'password', autocomplete: 'current-password', required: true })),
      field('New password', h('input', { name: 'newPassword', type: 'password', autocomplete: 'new-password', minlength: 12, required: true }), 'At least 12 characters.'),
      h('button', { type: 'submit', class: 'btn' }, 'Change password'), done), async (values) => {
      await post('/v1/auth/password', values);
      form.reset();
      replace(done, badge('Password changed', 'ok'));
    });
    return form;
  }

  async function render() {
    await load(list, () => get('/v1/users'), (users) => table([
      { label: 'Username', cell: (u) => h('strong', {}, u.username) },
      { label: 'Role', cell: (u) => badge(u.role, u.role === 'admin' ? 'info' : '') },
      { label: 'Password', cell: (u) => (u.mustChangePassword ? badge('one-time, not yet changed', 'warn') : badge('set', 'ok')) },
      { label: 'Account', cell: (u) => (u.disabled ? badge('disabled', 'danger') : badge('enabled', 'ok')) },
      { label: 'Created', cell: (u) => formatTime(u.createdAt) },
      { label: 'Actions', class: 'actions', cell: (u) => (isAdmin(user) && u.id !== user.userId
        ? [h('button', { type: 'button', class: 'btn small', onclick: () => act(u, 'reset-password'), 'aria-label': `Reset password of ${u.username}` }, 'Reset password'),
          u.disabled
            ? h('button', { type: 'button', class: 'btn small', onclick: () => act(u, 'enable'), 'aria-label': `Enable ${u.username}` }, 'Enable')
            : h('button', { type: 'button', class: 'btn small danger', onclick: () => act(u, 'disable'), 'aria-label': `Disable ${u.username}` }, 'Disable')]
        : '') },
    ], users.map((u) => ({ ...u, key: u.id })), { title: 'No users' }));
  }
  await render();
}
