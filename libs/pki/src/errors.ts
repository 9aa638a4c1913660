import { AccordError } from '#common';

/**
 * Stable error codes thrown by `#pki`. They are part of the public API: the admin app maps
 * them to HTTP responses and clients branch on them.
 */
export const PkiErrorCode = {
  /** The CSR is not parseable PEM/DER PKCS#10 or uses an unsupported key type. */
  CSR_INVALID: 'CSR_INVALID',
  /** The CSR parses but its self-signature does not verify (tampered or mismatched key). */
  CSR_SIGNATURE: 'CSR_SIGNATURE',
  /** The CSR's RSA key is smaller than the consortium minimum. */
  CSR_WEAK_KEY: 'CSR_WEAK_KEY',
  /** An encrypted private key could not be decrypted (wrong passphrase or corrupt data). */
  KEY_DECRYPT: 'KEY_DECRYPT',
  /** A private key PEM could not be read. */
  KEY_INVALID: 'KEY_INVALID',
  /** A certificate PEM could not be parsed. */
  CERT_INVALID: 'CERT_INVALID',
  /** A certificate chain does not link up to the given trust anchor. */
  CERT_CHAIN: 'CERT_CHAIN',
  /** A certificate in the chain is past its notAfter. */
  CERT_EXPIRED: 'CERT_EXPIRED',
  /** A certificate in the chain is before its notBefore. */
  CERT_NOT_YET_VALID: 'CERT_NOT_YET_VALID',
  /** A subject id, organization or name field is empty, too long or has forbidden characters. */
  SUBJECT_INVALID: 'SUBJECT_INVALID',
  /** A subject alternative name is malformed or not allowed for the profile. */
  SAN_INVALID: 'SAN_INVALID',
  /** An unknown certificate profile, or a certificate that carries no Accord profile. */
  PROFILE_INVALID: 'PROFILE_INVALID',
  /** Invalid numeric or date parameters (validity, key size, CRL number, update times). */
  PARAM_INVALID: 'PARAM_INVALID',
  /** A CRL PEM could not be parsed. */
  CRL_INVALID: 'CRL_INVALID',
  /** A CRL was not issued or not signed by the expected CA. */
  CRL_SIGNATURE: 'CRL_SIGNATURE',
  /** An enrollment-proof input (public key, private key, token) is malformed. */
  ENROLLMENT_INPUT_INVALID: 'ENROLLMENT_INPUT_INVALID',
} as const;

/** Union of all `#pki` error codes. */
export type PkiErrorCode = (typeof PkiErrorCode)[keyof typeof PkiErrorCode];

/** Builds an {@link AccordError} carrying a `#pki` code. */
export function pkiError(code: PkiErrorCode, message: string, cause?: unknown): AccordError {
  return new AccordError(code, message, cause === undefined ? undefined : { cause });
}
