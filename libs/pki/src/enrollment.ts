import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import * as secp from '@noble/secp256k1';
import { sha256Hex } from './encoding.js';
import { PkiErrorCode, pkiError } from './errors.js';

// noble's synchronous sign/verify need these hooks; keep any implementation another module installed.
secp.hashes.sha256 ??= sha256;
secp.hashes.hmacSha256 ??= (key, message) => hmac(sha256, key, message);

/** Domain separator that starts every enrollment proof message. */
export const ENROLLMENT_PROOF_DOMAIN = 'accord/enroll/v1';

/** What an enrollment proof binds together. */
export interface EnrollmentProofInput {
  /** One-time enrollment token issued by the admin app; non-empty, no line breaks. */
  readonly token: string;
  /** The CSR exactly as submitted (its PEM text is hashed byte for byte). */
  readonly csrPem: string;
  /** The member's secp256k1 account key: 33-byte compressed (66 hex) or 65-byte uncompressed (130 hex). */
  readonly accountPublicKeyHex: string;
}

/** An enrollment proof to check. */
export interface EnrollmentProof extends EnrollmentProofInput {
  /** 64-byte compact ECDSA signature r‖s (128 hex), low-S. */
  readonly signatureHex: string;
}

const PUBLIC_KEY_HEX = /^(0[23][0-9a-fA-F]{64}|04[0-9a-fA-F]{128})$/;

/**
 * The 32-byte digest an enrollment proof signs, proving that the holder of the account key
 * asked for this CSR under this token. Exactly:
 *
 * ```
 * SHA-256( UTF-8( "accord/enroll/v1" + "\n" + token + "\n" + hex(SHA-256(UTF-8(csrPem))) + "\n" + lower(accountPublicKeyHex) ) )
 * ```
 *
 * where `hex` is lowercase hex and `csrPem` is hashed exactly as given (no PEM normalisation).
 *
 * @throws AccordError `ENROLLMENT_INPUT_INVALID` for an empty token, a token with line breaks,
 *   or a public key that is not 33/65-byte SEC1 hex.
 */
export function enrollmentProofDigest(input: EnrollmentProofInput): Uint8Array {
  if (input.token.length === 0 || /[\r\n]/.test(input.token)) {
    throw pkiError(PkiErrorCode.ENROLLMENT_INPUT_INVALID, 'enrollment token must be non-empty and single-line');
  }
  if (!PUBLIC_KEY_HEX.test(input.accountPublicKeyHex)) {
    throw pkiError(PkiErrorCode.ENROLLMENT_INPUT_INVALID, 'account public key must be 33-byte compressed or 65-byte uncompressed SEC1 hex');
  }
  const message = `${ENROLLMENT_PROOF_DOMAIN}\n${input.token}\n${sha256Hex(input.csrPem)}\n${input.accountPublicKeyHex.toLowerCase()}`;
  return sha256(utf8ToBytes(message));
}

/**
 * Checks an enrollment proof: a low-S compact secp256k1 ECDSA signature by
 * `accountPublicKeyHex` over {@link enrollmentProofDigest} (the digest is signed directly, not
 * hashed again). Returns false — never throws — for a wrong key, token, CSR, a high-S or
 * malformed signature, or a public key that is not a curve point.
 */
export function verifyEnrollmentProof(proof: EnrollmentProof): boolean {
  if (!/^[0-9a-fA-F]{128}$/.test(proof.signatureHex)) return false;
  try {
    const digest = enrollmentProofDigest(proof);
    return secp.verify(hexToBytes(proof.signatureHex), digest, hexToBytes(proof.accountPublicKeyHex), { prehash: false, lowS: true });
  } catch {
    return false;
  }
}

/** Options of {@link signEnrollmentProof}. */
export interface SignEnrollmentProofOptions {
  /** Enrollment token received from the admin app. */
  readonly token: string;
  /** The CSR exactly as it will be submitted. */
  readonly csrPem: string;
  /** 32-byte secp256k1 secret key, hex. */
  readonly accountPrivateKeyHex: string;
}

/**
 * Client side of {@link verifyEnrollmentProof}: signs the digest with the account key
 * (RFC 6979 deterministic, low-S, compact) and returns the compressed public key it used.
 *
 * @throws AccordError `ENROLLMENT_INPUT_INVALID` for a malformed secret key or token.
 */
export function signEnrollmentProof(options: SignEnrollmentProofOptions): { accountPublicKeyHex: string; signatureHex: string } {
  let secretKey: Uint8Array;
  let accountPublicKeyHex: string;
  try {
    if (!/^[0-9a-fA-F]{64}$/.test(options.accountPrivateKeyHex)) throw new Error('not 32-byte hex');
    secretKey = hexToBytes(options.accountPrivateKeyHex);
    accountPublicKeyHex = bytesToHex(secp.getPublicKey(secretKey, true));
  } catch (error) {
    throw pkiError(PkiErrorCode.ENROLLMENT_INPUT_INVALID, 'account private key must be a valid 32-byte secp256k1 secret key in hex', error);
  }
  const digest = enrollmentProofDigest({ token: options.token, csrPem: options.csrPem, accountPublicKeyHex });
  const signature = secp.sign(digest, secretKey, { prehash: false, lowS: true });
  return { accountPublicKeyHex, signatureHex: bytesToHex(signature) };
}
