import { createHash, randomBytes } from 'node:crypto';

/** A fresh opaque secret (login bearer token, enrollment token): 32 random bytes, base64url. */
export function generateSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the register stores instead of a token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
