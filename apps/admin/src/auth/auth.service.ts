import { randomUUID } from 'node:crypto';
import { LessThan, type DataSource, type Repository } from 'typeorm';
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
  disabled: boolean;
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
    // Unknown users cost the same scrypt run as known ones, so timing does not reveal names.
    const valid = await verifyPassword(password, user?.passwordHash ?? (await this.decoyHash()));
    // A disabled account answers like a wrong password: no hint that the name exists.
    if (!user || !valid || user.disabled) {
      for (const key of keys) this.throttle.recordFailure(key, nowMs);
      await this.audit.record({ actor: 'anonymous', action: 'auth.login-failed', target: `user:${username.slice(0, 100)}`, details: { ip } });
      throw new HttpAccordError(401, 'INVALID_CREDENTIALS', 'unknown user or wrong password');
    }
    // Only the user's counter resets: one good account must not wipe an address's failed guesses at others.
    this.throttle.recordSuccess(keys[0]!);
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

  private decoy?: Promise<string>;

  private decoyHash(): Promise<string> {
    this.decoy ??= hashPassword(generateOneTimePassword());
    return this.decoy;
  }

  /** The principal behind a bearer token, or undefined when the token is unknown or expired. */
  async authenticate(token: string): Promise<Principal | undefined> {
    const sessionHash = hashToken(token);
    const session = await this.dataSource.getRepository(SessionEntity).findOneBy({ tokenHash: sessionHash });
    if (!session || session.expiresAt <= iso(this.clock())) return undefined;
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ id: session.userId });
    if (!user || user.disabled) return undefined;
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
      disabled: false,
      createdAt: now,
      updatedAt: now,
    };
    await writeTransaction(this.lock, this.dataSource, async (tx) => {
      await tx.getRepository(UserEntity).insert(user);
      await this.audit.record({ actor, action: 'user.created', target: `user:${username}`, details: { role } }, tx);
    });
    return { user: toView(user), oneTimePassword };
  }

  /** Issues a new one-time password (returned once) and ends the user's sessions. */
  async resetPassword(actor: Principal, userId: string): Promise<{ user: UserView; oneTimePassword: string }> {
    const oneTimePassword = generateOneTimePassword();
    const passwordHash = await hashPassword(oneTimePassword);
    const user = await writeTransaction(this.lock, this.dataSource, async (tx) => {
      const row = await this.userRow(tx.getRepository(UserEntity), userId);
      const updated = { ...row, passwordHash, mustChangePassword: true, updatedAt: iso(this.clock()) };
      await tx.getRepository(UserEntity).update({ id: userId }, { passwordHash, mustChangePassword: true, updatedAt: updated.updatedAt });
      await tx.getRepository(SessionEntity).delete({ userId });
      await this.audit.record({ actor: actor.username, action: 'user.password-reset', target: `user:${row.username}` }, tx);
      return updated;
    });
    return { user: toView(user), oneTimePassword };
  }

  /** Disables or re-enables a user; disabling ends its sessions. Admins cannot disable themselves. */
  async setDisabled(actor: Principal, userId: string, disabled: boolean): Promise<UserView> {
    if (disabled && actor.userId === userId) throw new HttpAccordError(409, 'SELF_DISABLE', 'you cannot disable your own account');
    return writeTransaction(this.lock, this.dataSource, async (tx) => {
      const row = await this.userRow(tx.getRepository(UserEntity), userId);
      const updated = { ...row, disabled, updatedAt: iso(this.clock()) };
      await tx.getRepository(UserEntity).update({ id: userId }, { disabled, updatedAt: updated.updatedAt });
      if (disabled) await tx.getRepository(SessionEntity).delete({ userId });
      await this.audit.record({ actor: actor.username, action: disabled ? 'user.disabled' : 'user.enabled', target: `user:${row.username}` }, tx);
      return toView(updated);
    });
  }

  private async userRow(users: Repository<UserEntity>, id: string): Promise<UserEntity> {
    const user = await users.findOneBy({ id });
    if (!user) throw new HttpAccordError(404, 'USER_NOT_FOUND', `user ${id} not found`);
    return user;
  }

  /** All users. */
  async listUsers(): Promise<UserView[]> {
    const users = await this.dataSource.getRepository(UserEntity).find({ order: { username: 'ASC' } });
    return users.map(toView);
  }
}

function toView(user: UserEntity): UserView {
  return { id: user.id, username: user.username, role: user.role, mustChangePassword: Boolean(user.mustChangePassword), disabled: Boolean(user.disabled), createdAt: user.createdAt };
}
