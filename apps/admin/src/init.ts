import { readFileSync } from 'node:fs';
import { AuditService } from './audit/audit.service.js';
import { AuthService } from './auth/auth.service.js';
import { assertPasswordAcceptable } from './auth/passwords.js';
import { initialiseKeyMaterial } from './ca/key-vault.js';
import { systemClock, type Clock } from './clock.js';
import { requirePassphrase, type AdminConfig } from './config.js';
import { openRegister } from './db/data-source.js';
import { WriteLock } from './db/write-lock.js';

/** Options of {@link initAdmin}. */
export interface InitAdminOptions {
  /** Consortium name: the O and CN prefix of the CA certificates. */
  consortiumName: string;
  /** First admin's username (default `admin`). */
  adminUsername?: string;
  /** File holding the first admin's password; absent → a one-time password is generated. */
  passwordFile?: string;
  /** Root key size (default 3072). */
  rootKeyBits?: number;
  clock?: Clock;
}

/** What `admin init` reports. */
export interface InitAdminResult {
  adminUsername: string;
  /** Present when generated: print it once; it must be changed at first login. */
  oneTimePassword?: string;
  rootCertPem: string;
  issuingCertPem: string;
  governancePublicKeyHex: string;
}

/**
 * `accord admin init`: migrates the register, creates the root + issuing CA and the governance
 * key (encrypted with the CA passphrase), and the first admin user.
 */
export async function initAdmin(config: AdminConfig, options: InitAdminOptions): Promise<InitAdminResult> {
  const passphrase = requirePassphrase(config);
  const clock = options.clock ?? systemClock;
  const password = options.passwordFile ? readFileSync(options.passwordFile, 'utf8').replace(/\r?\n$/, '') : undefined;
  // Checked before any key exists, so a bad password cannot leave a half-initialised register.
  if (password !== undefined) assertPasswordAcceptable(password);
  const dataSource = await openRegister(config);
  try {
    const lock = new WriteLock();
    const audit = new AuditService(dataSource, lock, clock);
    const keys = await initialiseKeyMaterial(dataSource, { consortiumName: options.consortiumName, passphrase, clock, rootKeyBits: options.rootKeyBits });
    const auth = new AuthService(dataSource, lock, audit, clock, config.sessionTtlMs);
    const adminUsername = options.adminUsername ?? 'admin';
    const { oneTimePassword } = await auth.createUser('system:init', adminUsername, 'admin', password);
    await audit.record({ actor: 'system:init', action: 'admin.initialised', target: `consortium:${options.consortiumName}`, details: { governancePublicKey: keys.governancePublicKeyHex } });
    return { adminUsername, oneTimePassword, ...keys };
  } finally {
    await dataSource.destroy();
  }
}
