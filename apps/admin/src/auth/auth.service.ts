import { randomUUID } from 'node:crypto';
import { LessThan, type DataSource } from 'typeorm';
import { AccordError, HttpAccordError } from '#common';
import type { AuditService } from '../audit/audit.service.js';
import { iso, type Clock } from '../clock.js';
import { SessionEntity, UserEntity, type UserRole } from '../db/entities/index.js';
import { writeTransaction, type WriteLock } from '../db/write-lock.js';
import { LoginThrottle } from './login-throttle.js';
import { assertPasswordAcceptable, generateOneTimePassword, hashPassword, verifyPassword } from './passwords.js';
import type { Principal } from './principal.js';
import { generateSecretToken, hashToken } from './tokens.js';

/** Result of a successful login. */
export interface LoginResult {
  token: string;
  expiresAt: string;
  role: UserRole;
  mustChangePassword: boolean;
}

/** A user as the API shows it (never the hash). */
export interface UserView {
  id: string;
  username: string;
  role: UserRole;
  mustChangePassword: boolean;
  createdAt: string;
}

/** Users, passwords, login sessions and login throttling. */
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly lock: WriteLock,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly sessionTtlMs: number,
    private readonly throttle = new LoginThrottle(),
  ) {}

  /** Checks credentials under per-user and per-IP throttling and opens a session. */
  async login(username: string, password: string, ip: string): Promise<LoginResult> {
    const nowMs = this.clock().getTime();
    const keys = [`user:${username.toLowerCase()}`, `ip:${ip}`];
    const retryAfter = Math.max(...keys.map((key) => this.throttle.retryAfterSeconds(key, nowMs)));
    if (retryAfter > 0) {
      throw new HttpAccordError(429, 'LOGIN_THROTTLED', `too many failed logins; retry in ${retryAfter} s`, {
        headers: { 'Retry-After': String(retryAfter) },
      });
    }
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ username });
    const valid = user ? await verifyPassword(password, user.passwordHash) : false;
    if (!user || !valid) {
      for (const key of keys) this.throttle.recordFailure(key, nowMs);
      await this.audit.record({ actor: 'anonymous', action: 'auth.login-failed', target: `user:${username.slice(0, 100)}`, details: { ip } });
      throw new HttpAccordError(401, 'INVALID_CREDENTIALS', 'unknown user or wrong password');
    }
    for (const key of keys) this.throttle.recordSuccess(key);
    const token = generateSecretToken();
    const expiresAt = iso(new Date(nowMs + this.sessionTtlMs));
    await writeTransaction(this.lock, this.dataSource, async (tx) => {
      // Expired sessions are useless; logins are a natural moment to sweep them.
      await tx.getRepository(SessionEntity).delete({ expiresAt: LessThan(iso(new Date(nowMs))) });
      await tx.getRepository(SessionEntity).insert({ tokenHash: hashToken(token), userId: user.id, expiresAt, createdAt: iso(new Date(nowMs)) });
      await this.audit.record({ actor: user.username, action: 'auth.login', target: `user:${user.username}`, details: { ip } }, tx);
    });
    return { token, expiresAt, role: user.role, mustChangePassword: user.mustChangePassword };
  }

  /** The principal behind a bearer token, or undefined when the token is unknown or expired. */
  async authenticate(token: string): Promise<Principal | undefined> {
    const sessionHash = hashToken(token);
    const session = await this.dataSource.getRepository(SessionEntity).findOneBy({ tokenHash: sessionHash });
    if (!session || session.expiresAt <= iso(this.clock())) return undefined;
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ id: session.userId });
    if (!user) return undefined;
    return { userId: user.id, username: user.username, role: user.role, mustChangePassword: user.mustChangePassword, sessionHash };
  }

  /** Ends the caller's session. */
  async logout(principal: Principal): Promise<void> {
    await writeTransaction(this.lock, this.dataSource, async (tx) => {
      await tx.getRepository(SessionEntity).delete({ tokenHash: principal.sessionHash });
      await this.audit.record({ actor: principal.username, action: 'auth.logout', target: `user:${principal.username}` }, tx);
    });
  }

  /** Changes the caller's password; other sessions of the user end. */
  async changePassword(principal: Principal, currentPassword: string, newPassword: string): Promise<void> {
    const users = this.dataSource.getRepository(UserEntity);
    const user = await users.findOneByOrFail({ id: principal.userId });
    if (!(await verifyPassword(currentPassword, user.passwordHash))) {
      throw new HttpAccordError(403, 'INVALID_CREDENTIALS', 'the current password is wrong');
    }
    assertPasswordAcceptable(newPassword);
    if (newPassword === currentPassword) throw new AccordError('PASSWORD_REUSED', 'choose a password different from the current one');
    const passwordHash = await hashPassword(newPassword);
    await writeTransaction(this.lock, this.dataSource, async (tx) => {
      await tx.getRepository(UserEntity).update({ id: user.id }, { passwordHash, mustChangePassword: false, updatedAt: iso(this.clock()) });
      const sessions = await tx.getRepository(SessionEntity).findBy({ userId: user.id });
      const others = sessions.filter((session) => session.tokenHash !== principal.sessionHash).map((session) => session.tokenHash);
      if (others.length > 0) await tx.getRepository(SessionEntity).delete(others);
      await this.audit.record({ actor: principal.username, action: 'auth.password-changed', target: `user:${user.username}` }, tx);
    });
  }

  /**
   * Creates a user. Without a password a one-time password is generated, returned once and
   * must be changed at first login.
   */
  async createUser(actor: string, username: string, role: UserRole, password?: string): Promise<{ user: UserView; oneTimePassword?: string }> {
    const users = this.dataSource.getRepository(UserEntity);
    if (await users.findOneBy({ username })) throw new HttpAccordError(409, 'USER_EXISTS', `user ${username} already exists`);
    if (password !== undefined) assertPasswordAcceptable(password);
    const oneTimePassword = password === undefined ? generateOneTimePassword() : undefined;
    const now = iso(this.clock());
    const user: UserEntity = {
      id: randomUUID(),
      username,
      role,
      passwordHash: await hashPassword(password ?? oneTimePassword!),
      mustChangePassword: password === undefined,
      createdAt: now,
      updatedAt: now,
    };
    await writeTransaction(this.lock, this.dataSource, async (tx) => {
      await tx.getRepository(UserEntity).insert(user);
      await this.audit.record({ actor, action: 'user.created', target: `user:${username}`, details: { role } }, tx);
    });
    return { user: toView(user), oneTimePassword };
  }

  /** All users. */
  async listUsers(): Promise<UserView[]> {
    const users = await this.dataSource.getRepository(UserEntity).find({ order: { username: 'ASC' } });
    return users.map(toView);
  }
}

function toView(user: UserEntity): UserView {
  return { id: user.id, username: user.username, role: user.role, mustChangePassword: Boolean(user.mustChangePassword), createdAt: user.createdAt };
}
