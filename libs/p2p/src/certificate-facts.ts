import { X509Certificate, createHash } from 'node:crypto';
import { derChildren, readDerElement } from './der.js';

/** Validator SAN URI prefix of the consortium certificate profile. */
export const VALIDATOR_URI_PREFIX = 'urn:accord:validator:';

/** Member SAN URI prefix of the consortium certificate profile. */
export const MEMBER_URI_PREFIX = 'urn:accord:member:';

/**
 * A serial number in the form the admin publishes: lowercase hex without leading zeros
 * (OpenSSL and Node print uppercase, zero-padded hex).
 */
export function normalizeSerial(hex: string): string {
  const trimmed = hex.trim().toLowerCase().replace(/^0+/, '');
  return trimmed === '' ? '0' : trimmed;
}

/**
 * Lowercase hex SHA-256 of a certificate's SubjectPublicKeyInfo (DER). This is a validator's
 * registered identity: it survives certificate renewal as long as the key is kept.
 */
export function spkiSha256(certificate: string | Buffer | X509Certificate): string {
  const parsed = certificate instanceof X509Certificate ? certificate : new X509Certificate(certificate);
  const spki = parsed.publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('hex');
}

/** The URIs in a certificate's subjectAltName, as Node renders it (`URI:...` entries). */
export function sanUris(certificate: X509Certificate): string[] {
  const san = certificate.subjectAltName;
  if (!san) return [];
  return san
    .split(/,\s*/)
    .filter((entry) => entry.startsWith('URI:'))
    .map((entry) => entry.slice('URI:'.length).replace(/^"|"$/g, ''));
}

/** The DER bytes of a certificate's subject Name, to match CRL issuers against CA subjects. */
export function subjectNameDer(certificateDer: Buffer): Buffer {
  const certificate = readDerElement(certificateDer, 0);
  const tbs = derChildren(certificateDer, certificate)[0];
  const fields = derChildren(certificateDer, tbs);
  // tbsCertificate: [0] version (optional), serial, signature, issuer, validity, subject, ...
  const first = fields[0].tag === 0xa0 ? 1 : 0;
  const subject = fields[first + 4];
  return certificateDer.subarray(subject.start, subject.end);
}
