import { bytesEqual, fromHex, toHex } from '../bytes.js';
import { sha256 } from '../hash.js';
import { RecentByBytes } from '../recent-by-bytes.js';
import { secp } from './noble.js';

/** Compressed secp256k1 public keys are 33 bytes. */
export const PUBLIC_KEY_BYTES = 33;
/** Addresses are 20 bytes. */
export const ADDRESS_BYTES = 20;

/** A new random secp256k1 private key (32 bytes). */
export function generatePrivateKey(): Uint8Array {
  return secp.utils.randomSecretKey();
}

/** The 33-byte compressed public key of a private key. */
export function publicKeyOf(privateKey: Uint8Array): Uint8Array {
  return secp.getPublicKey(privateKey, true);
}

/** Whether `bytes` is a 33-byte compressed encoding of a point on secp256k1. */
export function isValidPublicKey(bytes: Uint8Array): boolean {
  if (bytes.length !== PUBLIC_KEY_BYTES || (bytes[0] !== 2 && bytes[0] !== 3)) return false;
  try {
    secp.Point.fromBytes(bytes);
    return true;
  } catch {
    return false;
  }
}

// The same senders sign again and again: their addresses are kept rather than rehashed for
// every transaction executed.
const recentAddresses = new RecentByBytes(8192, (publicKey) => sha256(publicKey).subarray(32 - ADDRESS_BYTES));

/**
 * The account address of a public key: the last 20 bytes of SHA-256 over the 33-byte compressed
 * public key. Shown as `0x` + 40 lowercase hex characters (see docs/SIGNING.md).
 */
export function addressOf(publicKey: Uint8Array): Uint8Array {
  // A copy: callers own what they get, and the kept one must not change.
  return recentAddresses.get(publicKey).slice();
}

/** `0x`-prefixed lowercase hex form of an address. */
export function formatAddress(address: Uint8Array): string {
  return `0x${toHex(address)}`;
}

/** Parses `0x` + 40 hex characters (or 40 bare hex characters); undefined otherwise. */
export function parseAddress(text: string): Uint8Array | undefined {
  const bytes = fromHex(text);
  return bytes && bytes.length === ADDRESS_BYTES ? bytes : undefined;
}

/** Whether `address` belongs to `publicKey`. */
export function addressMatches(publicKey: Uint8Array, address: Uint8Array): boolean {
  return bytesEqual(addressOf(publicKey), address);
}
