import { x509 } from './peculiar.js';
import { PkiErrorCode, pkiError } from './errors.js';
import { certificateFingerprintSha256, spkiSha256 } from './fingerprints.js';
import { CERTIFICATE_PROFILES, MEMBER_URN_PREFIX, VALIDATOR_URN_PREFIX, type CertificateProfile } from './profiles.js';
import { normalizeSerial } from './serial.js';

/** A distinguished name reduced to the attributes Accord uses. */
export interface NameSummary {
  /** First CN attribute. */
  readonly commonName?: string;
  /** First O attribute. */
  readonly organization?: string;
  /** First OU attribute (the profile for Accord leaves). */
  readonly organizationalUnit?: string;
  /** OpenSSL-style one-line form, e.g. `CN=validator-1, O=Acme, OU=validator`. */
  readonly text: string;
}

/** Everything the admin app and the transport read from an Accord certificate. */
export interface CertificateInfo {
  /** Subject name. */
  readonly subject: NameSummary;
  /** Issuer name. */
  readonly issuer: NameSummary;
  /** Lowercase hex without leading zeros. */
  readonly serialHex: string;
  /** Start of validity. */
  readonly notBefore: Date;
  /** End of validity. */
  readonly notAfter: Date;
  /** All SAN URIs, e.g. `urn:accord:validator:node-1`. */
  readonly sanUris: readonly string[];
  /** SAN DNS names. */
  readonly dnsNames: readonly string[];
  /** SAN IP addresses (IPv6 in compressed form). */
  readonly ipAddresses: readonly string[];
  /** The Accord profile taken from the subject OU; undefined for CA and foreign certificates. */
  readonly role?: CertificateProfile;
  /** Node id or member id taken from the identity URN matching the role, if present. */
  readonly subjectId?: string;
  /** basicConstraints CA flag. */
  readonly isCa: boolean;
  /** Extended key usages by name (`serverAuth`, `clientAuth`, ...) or OID when unnamed. */
  readonly extendedKeyUsages: readonly string[];
  /** Lowercase hex SHA-256 of the DER SubjectPublicKeyInfo. */
  readonly spkiSha256: string;
  /** Lowercase hex SHA-256 of the certificate DER. */
  readonly fingerprintSha256: string;
}

const EKU_NAMES: ReadonlyMap<string, string> = new Map(
  Object.entries(x509.ExtendedKeyUsage).map(([name, oid]) => [oid, name]),
);

function summarizeName(name: x509.Name): NameSummary {
  const first = (field: string): string | undefined => name.getField(field)[0];
  return {
    commonName: first('CN'),
    organization: first('O'),
    organizationalUnit: first('OU'),
    text: name.toString(),
  };
}

/** Parses a peculiar X509Certificate or throws `CERT_INVALID`. */
export function parsePeculiarCertificate(certPem: string): x509.X509Certificate {
  try {
    return new x509.X509Certificate(certPem);
  } catch (error) {
    throw pkiError(PkiErrorCode.CERT_INVALID, 'certificate PEM could not be parsed', error);
  }
}

/**
 * Parses a certificate (any key type) into the fields Accord cares about: subject and issuer,
 * SANs, role (from OU) and subject id (from the identity URN), serial, validity, digests.
 *
 * @throws AccordError `CERT_INVALID` for anything that is not a PEM X.509 certificate.
 */
export function parseCertificate(certPem: string): CertificateInfo {
  const cert = parsePeculiarCertificate(certPem);
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const sanItems = san?.names.items ?? [];
  const valuesOf = (type: string): string[] => sanItems.filter((item) => item.type === type).map((item) => item.value);
  const sanUris = valuesOf('url');
  const subject = summarizeName(cert.subjectName);
  const basicConstraints = cert.getExtension(x509.BasicConstraintsExtension);
  const isCa = basicConstraints?.ca ?? false;
  const ou = subject.organizationalUnit;
  const role = !isCa && ou !== undefined && (CERTIFICATE_PROFILES as readonly string[]).includes(ou) ? (ou as CertificateProfile) : undefined;
  const urnPrefix = role === 'validator' ? VALIDATOR_URN_PREFIX : MEMBER_URN_PREFIX;
  const identityUri = role ? sanUris.find((uri) => uri.startsWith(urnPrefix)) : undefined;
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  return {
    subject,
    issuer: summarizeName(cert.issuerName),
    serialHex: normalizeSerial(cert.serialNumber).serialHex,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    sanUris,
    dnsNames: valuesOf('dns'),
    ipAddresses: valuesOf('ip'),
    role,
    subjectId: identityUri?.slice(urnPrefix.length),
    isCa,
    extendedKeyUsages: Array.from(eku?.usages ?? [], (usage) => EKU_NAMES.get(String(usage)) ?? String(usage)),
    spkiSha256: spkiSha256(certPem),
    fingerprintSha256: certificateFingerprintSha256(certPem),
  };
}

const MS_PER_DAY = 86_400_000;

/**
 * Whole days from `now` until the certificate's notAfter, rounded down; negative once expired
 * (−1 during the first day after expiry).
 */
export function daysUntilExpiry(certPem: string, now: Date): number {
  return Math.floor((parsePeculiarCertificate(certPem).notAfter.getTime() - now.getTime()) / MS_PER_DAY);
}

/** True when the certificate expires within `days` days of `now` (or already has). */
export function isExpiringSoon(certPem: string, now: Date, days = 30): boolean {
  return parsePeculiarCertificate(certPem).notAfter.getTime() - now.getTime() <= days * MS_PER_DAY;
}
