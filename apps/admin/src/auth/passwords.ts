import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { AccordError } from '#common';

/** scrypt cost: N=2^15, r=8, p=1 (~32 MiB, tens of ms) — slow for guessing, fine for logins. */
const DEFAULT_COST = { N: 1 << 15, r: 8, p: 1 };
const SALT_BYTES = 16;
const KEY_BYTES = 32;

function scryptAsync(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_BYTES, { ...options, maxmem: 128 * options.N! * options.r! * 2 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** Hashes a password with a fresh per-user salt: `scrypt$N$r$p$saltHex$hashHex`. */
export async function hashPassword(password: string, cost = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scryptAsync(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('hex'), key.toString('hex')].join('$');
}

/** Constant-time check of a password against a stored hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') throw new AccordError('PASSWORD_HASH_INVALID', 'unsupported password hash format');
  const [, n, r, p, saltHex, hashHex] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hashHex, 'hex');
  const actual = await scryptAsync(password, Buffer.from(saltHex, 'hex'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Minimum rules for a password an admin chooses. */
export function assertPasswordAcceptable(password: string): void {
  if (password.length < 12) throw new AccordError('PASSWORD_TOO_WEAK', 'a password needs at least 12 characters');
}

/** A random one-time password (base64url, 18 bytes of entropy → 24 characters). */
export function generateOneTimePassword(): string {
  return randomBytes(18).toString('base64url');
}
