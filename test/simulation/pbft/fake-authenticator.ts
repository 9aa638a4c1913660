import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { PbftAuthenticator } from '#consensus';

/**
 * Cheap deterministic stand-in for secp256k1 in simulations: each validator signs with
 * HMAC-SHA256 under its own secret. A Byzantine node only holds its own authenticator, so it
 * cannot forge another validator's signature. Verifications are memoised per run because every
 * broadcast message is verified by every receiver.
 */
export class SimKeyring {
  private readonly secrets = new Map<string, Uint8Array>();
  private readonly verified = new Map<string, boolean>();

  constructor(seed: number, ids: readonly string[]) {
    for (const id of ids) this.secrets.set(id, sha256(new TextEncoder().encode(`pbft-sim/${seed}/${id}`)));
  }

  /** The authenticator a node holding `id`'s key gets. */
  authenticatorFor(id: string): PbftAuthenticator {
    const secret = this.secrets.get(id);
    if (secret === undefined) throw new Error(`no key for ${id}`);
    return {
      sign: (bytes) => hmac(sha256, secret, bytes),
      verify: (validatorId, bytes, signature) => this.verify(validatorId, bytes, signature),
    };
  }

  /** Verification shared by every node (and by the checker). */
  verify(validatorId: string, bytes: Uint8Array, signature: Uint8Array): boolean {
    const secret = this.secrets.get(validatorId);
    if (secret === undefined || signature.length !== 32) return false;
    const key = `${validatorId}|${hex(signature)}|${hex(bytes)}`;
    let ok = this.verified.get(key);
    if (ok === undefined) {
      const expected = hmac(sha256, secret, bytes);
      ok = expected.every((b, i) => b === signature[i]);
      this.verified.set(key, ok);
    }
    return ok;
  }
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
