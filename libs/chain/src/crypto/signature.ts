import { createRequire } from 'node:module';
import { RecentByBytes } from '../recent-by-bytes.js';
import { secp } from './noble.js';

/** Compact (r ‖ s) signatures are 64 bytes. */
export const SIGNATURE_BYTES = 64;

interface NativeSecp256k1 {
  ecdsaVerify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  publicKeyConvert(publicKey: Uint8Array, compressed: boolean): Uint8Array;
}

/** Which implementation verifies signatures on this node. */
export type SignatureBackend = 'native-libsecp256k1' | 'noble';

function loadNative(): NativeSecp256k1 | undefined {
  try {
    // Load the addon itself, not the package index: the index silently falls back to a slow
    // pure-JS implementation, and we want to know (and report) which backend is in use.
    const require = createRequire(import.meta.url);
    return require('secp256k1/bindings') as NativeSecp256k1;
  } catch {
    return undefined;
  }
}

const native = process.env.ACCORD_SECP256K1_BACKEND === 'noble' ? undefined : loadNative();

/** The backend `verifySignature` uses: native libsecp256k1 when its addon loads, else noble. */
export function signatureBackend(): SignatureBackend {
  return native ? 'native-libsecp256k1' : 'noble';
}

/**
 * Signs a 32-byte digest: deterministic (RFC 6979) ECDSA, compact 64-byte, always low-S.
 */
export function signDigest(digest: Uint8Array, privateKey: Uint8Array): Uint8Array {
  return secp.sign(digest, privateKey, { prehash: false, lowS: true, format: 'compact' });
}

function wellFormed(signature: Uint8Array, digest: Uint8Array, publicKey: Uint8Array): boolean {
  return signature.length === SIGNATURE_BYTES && digest.length === 32 && publicKey.length === 33;
}

/** Verifies with @noble/secp256k1; rejects high-S, malformed and zero signatures. */
export function verifyDigestNoble(signature: Uint8Array, digest: Uint8Array, publicKey: Uint8Array): boolean {
  if (!wellFormed(signature, digest, publicKey)) return false;
  try {
    return secp.verify(signature, digest, publicKey, { prehash: false, lowS: true, format: 'compact' });
  } catch {
    return false;
  }
}

// Parsing a compressed key takes a square root on every verification (about a tenth of its
// cost), and the same senders sign again and again: their uncompressed form is kept.
const uncompressedKeys = new RecentByBytes(8192, (publicKey) => {
  if (!native) throw new Error('native libsecp256k1 is not loaded');
  return native.publicKeyConvert(publicKey, false); // throws for a key not on the curve
});

/**
 * Verifies with native libsecp256k1 (about 40× noble), which also rejects high-S. Undefined
 * when the addon is not loaded.
 */
export function verifyDigestNative(signature: Uint8Array, digest: Uint8Array, publicKey: Uint8Array): boolean | undefined {
  if (!native) return undefined;
  if (!wellFormed(signature, digest, publicKey)) return false;
  try {
    return native.ecdsaVerify(signature, digest, uncompressedKeys.get(publicKey));
  } catch {
    return false;
  }
}

/** Verifies a compact low-S signature over a digest with the fastest available backend. */
export function verifyDigest(signature: Uint8Array, digest: Uint8Array, publicKey: Uint8Array): boolean {
  return verifyDigestNative(signature, digest, publicKey) ?? verifyDigestNoble(signature, digest, publicKey);
}
