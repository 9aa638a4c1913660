import * as secp from '@noble/secp256k1';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { PbftAuthenticator, ValidatorId } from './types.js';

// @noble/secp256k1 3 ships without synchronous hashes; consensus signs synchronously.
secp.hashes.sha256 = sha256;
secp.hashes.hmacSha256 = (key, message) => hmac(sha256, key, message);

/**
 * True when `signature` is a compact 64-byte low-S ECDSA signature by `publicKey` over
 * SHA-256(`bytes`). Malformed keys or signatures return false instead of throwing.
 */
export function verifySecp256k1(publicKey: Uint8Array, bytes: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  try {
    return secp.verify(signature, bytes, publicKey, { lowS: true, prehash: true });
  } catch {
    return false;
  }
}

/**
 * The production authenticator: signs with this validator's secp256k1 consensus key (compact
 * 64-byte, low-S, RFC 6979 deterministic over SHA-256 of the signing bytes) and verifies with
 * the consensus public keys from genesis.
 */
export class Secp256k1Authenticator implements PbftAuthenticator {
  private readonly publicKeys: ReadonlyMap<ValidatorId, Uint8Array>;

  /**
   * @param secretKey this node's 32-byte consensus secret key
   * @param validators every validator's id and compressed or uncompressed consensus public key
   */
  constructor(
    private readonly secretKey: Uint8Array,
    validators: readonly { readonly id: ValidatorId; readonly consensusPublicKey: Uint8Array }[],
  ) {
    this.publicKeys = new Map(validators.map((v) => [v.id, v.consensusPublicKey]));
  }

  sign(bytes: Uint8Array): Uint8Array {
    return secp.sign(bytes, this.secretKey, { lowS: true, prehash: true, format: 'compact' });
  }

  verify(validatorId: ValidatorId, bytes: Uint8Array, signature: Uint8Array): boolean {
    const publicKey = this.publicKeys.get(validatorId);
    return publicKey !== undefined && verifySecp256k1(publicKey, bytes, signature);
  }
}
