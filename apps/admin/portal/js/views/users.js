import { get, post } from '../api.js';
import { h, replace } from '../dom.js';
import { badge, card, copy, field, formatTime, isAdmin, load, select, submitter, table } from '../ui.js';

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
      const input = h('input', { readonly: true, value: created.oneTimePassword, 'aria-label': 'One-time password' });
      replace(secretSlot, h('div', { class: 'secret', role: 'region', 'aria-label': 'New one-time password' },
        h('strong', {}, `One-time password for ${created.user.username}`),
        h('p', { class: 'subtle' }, 'Shown only now. The user must choose a new password at first sign-in.'),
        h('div', { class: 'row' }, input,
          h('button', { type: 'button', class: 'btn', onclick: () => copy(created.oneTimePassword) }, 'Copy'),
          h('button', { type: 'button', class: 'btn', onclick: () => replace(secretSlot) }, 'Done'))));
      username.value = '';
      await render();
    })
    : null;
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
      { label: 'Created', cell: (u) => formatTime(u.createdAt) },
    ], users.map((u) => ({ ...u, key: u.id })), { title: 'No users' }));
  }
  await render();
}
