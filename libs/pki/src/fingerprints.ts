import { createHash, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { PkiErrorCode, pkiError } from './errors.js';

/** Parses a certificate PEM natively or throws `CERT_INVALID`. */
export function parseNativeCertificate(certPem: string): X509Certificate {
  try {
    return new X509Certificate(certPem);
  } catch (error) {
    throw pkiError(PkiErrorCode.CERT_INVALID, 'certificate PEM could not be parsed', error);
  }
}

/**
 * Lowercase hex SHA-256 of the DER SubjectPublicKeyInfo of a certificate, public key or private
 * key PEM. Equal for a certificate and its renewal with the same key, so it identifies the key
 * (TLS public-key pinning, CSR ↔ certificate matching).
 *
 * @throws AccordError `CERT_INVALID` when the PEM holds none of those.
 */
export function spkiSha256(certOrPublicKeyPem: string): string {
  let publicKey: KeyObject;
  try {
    publicKey = certOrPublicKeyPem.includes('-----BEGIN CERTIFICATE-----')
      ? new X509Certificate(certOrPublicKeyPem).publicKey
      : createPublicKey(certOrPublicKeyPem);
  } catch (error) {
    throw pkiError(PkiErrorCode.CERT_INVALID, 'PEM holds no readable certificate or public key', error);
  }
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

/**
 * Lowercase hex SHA-256 of a certificate's DER encoding, without separators (OpenSSL's
 * `-fingerprint -sha256` prints the same bytes upper-case and colon-separated).
 *
 * @throws AccordError `CERT_INVALID` for an unparseable certificate.
 */
export function certificateFingerprintSha256(certPem: string): string {
  return createHash('sha256').update(parseNativeCertificate(certPem).raw).digest('hex');
}
