import { utf8 } from '../bytes.js';
import { sha256 } from '../hash.js';

/** Domain tag prefixed to every transaction signing digest (13 bytes, including the NUL). */
export const TX_SIGNING_DOMAIN: Uint8Array = utf8('ACCORD-TX-V1\0');

/**
 * The 32-byte digest a transaction's signature covers:
 * `SHA-256("ACCORD-TX-V1\0" ‖ len(chainId) as one byte ‖ chainId (UTF-8) ‖ encoded TxBody)`.
 * The chain id appears outside the body too, so a signature can never be replayed on another
 * chain even by a decoder that ignored the body's chain id.
 */
export function txSigningDigest(chainId: string, bodyBytes: Uint8Array): Uint8Array {
  const chainIdBytes = utf8(chainId);
  return sha256(TX_SIGNING_DOMAIN, Uint8Array.of(chainIdBytes.length), chainIdBytes, bodyBytes);
}
