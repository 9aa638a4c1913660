import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminFixture, type AdminFixture } from './support/admin-fixture.js';

describe('logins, one-time passwords, sessions and throttling', () => {
  let fx: AdminFixture;
  let nowMs = Date.now();

  beforeAll(async () => {
    fx = await startAdminFixture({ clock: () => new Date(nowMs) });
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('a user with a generated one-time password must change it before doing anything else', async () => {
    const created = await fx.call('POST', '/v1/users', { username: 'newadmin', role: 'admin' });
    expect(created.status).toBe(201);
    const oneTimePassword = (created.body as { oneTimePassword: string }).oneTimePassword;
    expect(oneTimePassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const users = await fx.call('GET', '/v1/users');
    expect(JSON.stringify(users.body)).not.toContain('scrypt');

    const login = await fx.call('POST', '/v1/auth/login', { username: 'newadmin', password: oneTimePassword }, null);
    expect(login.body).toMatchObject({ mustChangePassword: true, role: 'admin' });
    const token = (login.body as { token: string }).token;
    const blocked = await fx.call('GET', '/v1/organisations', undefined, token);
    expect(blocked.status).toBe(403);
    expect(blocked.body).toMatchObject({ code: 'PASSWORD_CHANGE_REQUIRED' });

    const weak = await fx.call('POST', '/v1/auth/password', { currentPassword: oneTimePassword, newPassword: 'short' }, token);
    expect(weak.status).toBe(400);
    const wrongCurrent = await fx.call('POST', '/v1/auth/password', { currentPassword: 'nope', newPassword: 'a-much-better-password' }, token);
    expect(wrongCurrent.status).toBe(403);
    const changed = await fx.call('POST', '/v1/auth/password', { currentPassword: oneTimePassword, newPassword: 'a-much-better-password' }, token);
    expect(changed.status).toBe(204);
    expect((await fx.call('GET', '/v1/organisations', undefined, token)).status).toBe(200);

    expect((await fx.call('POST', '/v1/auth/login', { username: 'newadmin', password: oneTimePassword }, null)).status).toBe(401);
    expect((await fx.call('POST', '/v1/auth/login', { username: 'newadmin', password: 'a-much-better-password' }, null)).status).toBe(200);
  });

  it('a session ends on logout and after its lifetime', async () => {
    const login = await fx.call('POST', '/v1/auth/login', { username: 'newadmin', password: 'a-much-better-password' }, null);
    const token = (login.body as { token: string }).token;
    expect((await fx.call('GET', '/v1/auth/me', undefined, token)).body).toMatchObject({ username: 'newadmin' });
    expect((await fx.call('POST', '/v1/auth/logout', undefined, token)).status).toBe(204);
    expect((await fx.call('GET', '/v1/auth/me', undefined, token)).status).toBe(401);

    const second = ((await fx.call('POST', '/v1/auth/login', { username: 'newadmin', password: 'a-much-better-password' }, null)).body as { token: string }).token;
    nowMs += 16 * 60_000;
    const expired = await fx.call('GET', '/v1/auth/me', undefined, second);
    nowMs -= 16 * 60_000;
    expect(expired.status).toBe(401);
  });

  it('every login attempt is in the audit log, and passwords never are', async () => {
    const audit = await fx.call('GET', '/v1/audit?limit=500');
    const text = JSON.stringify(audit.body);
    expect(text).toContain('auth.login');
    expect(text).toContain('auth.password-changed');
    expect(text).not.toContain('a-much-better-password');
  });

  it('an admin resets a password or disables an account, ending its sessions', async () => {
    const users = (await fx.call('GET', '/v1/users')).body as { id: string; username: string }[];
    const target = users.find((user) => user.username === 'newadmin')!;
    const self = users.find((user) => user.username === 'admin')!;
    const session = ((await fx.call('POST', '/v1/auth/login', { username: 'newadmin', password: 'a-much-better-password' }, null)).body as { token: string }).token;

    const reset = await fx.call('POST', `/v1/users/${target.id}/reset-password`);
    expect(reset.status).toBe(200);
    const oneTimePassword = (reset.body as { oneTimePassword: string }).oneTimePassword;
    expect(reset.body).toMatchObject({ user: { username: 'newadmin', mustChangePassword: true } });
    expect((await fx.call('GET', '/v1/auth/me', undefined, session)).status).toBe(401);
    const fresh = await fx.call('POST', '/v1/auth/login', { username: 'newadmin', password: oneTimePassword }, null);
    expect(fresh.body).toMatchObject({ mustChangePassword: true });
    const freshToken = (fresh.body as { token: string }).token;
    expect((await fx.call('POST', '/v1/auth/password', { currentPassword: oneTimePassword, newPassword: 'a-much-better-password' }, freshToken)).status).toBe(204);

    expect((await fx.call('POST', `/v1/users/${target.id}/disable`)).body).toMatchObject({ disabled: true });
    expect((await fx.call('GET', '/v1/auth/me', undefined, freshToken)).status).toBe(401);
    const refused = await fx.call('POST', '/v1/auth/login', { username: 'newadmin', password: 'a-much-better-password' }, null);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect((await fx.call('POST', `/v1/users/${self.id}/disable`)).body).toMatchObject({ code: 'SELF_DISABLE' });
    expect((await fx.call('POST', `/v1/users/${target.id}/enable`)).body).toMatchObject({ disabled: false });
    expect((await fx.call('POST', '/v1/auth/login', { username: 'newadmin', password: 'a-much-better-password' }, null)).status).toBe(200);
  });

  // Last: it locks out 127.0.0.1 for the rest of this app's life.
  it('throttles repeated failures with 429 and Retry-After, even for the right password', async () => {
    // Start a fresh window: earlier failures from this address have aged out.
    nowMs += 20 * 60_000;
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      statuses.push((await fx.call('POST', '/v1/auth/login', { username: 'newadmin', password: `wrong-${attempt}` }, null)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const locked = await fx.call('POST', '/v1/auth/login', { username: 'newadmin', password: 'a-much-better-password' }, null);
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ code: 'LOGIN_THROTTLED' });
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    nowMs += 6 * 60_000;
    const later = await fx.call('POST', '/v1/auth/login', { username: 'newadmin', password: 'a-much-better-password' }, null);
    expect(later.status).toBe(200);
  });
});
