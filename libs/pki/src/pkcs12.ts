import forge from 'node-forge';
import { loadIssuer, parseForgeCertificate } from './builder.js';
import { fromBinaryString } from './encoding.js';
import { PkiErrorCode, pkiError } from './errors.js';
import { signLeaf } from './issue.js';
import { generateRsaKeyPair } from './keys.js';
import type { CertificateProfile, SubjectAltNames } from './profiles.js';
import type { IssuedCertificate, IssuerCredentials } from './types.js';

/** Options of {@link issuePkcs12}. */
export interface IssuePkcs12Options {
  /** The issuing CA. */
  readonly issuer: IssuerCredentials;
  /** Profile of the certificate (usually `client` or `org-admin` for members without tooling). */
  readonly profile: CertificateProfile;
  /** Member id or node id: CN and identity URN. */
  readonly subjectId: string;
  /** Subject O. */
  readonly organization: string;
  /** Password protecting the key bag and the MAC; must not be empty. */
  readonly password: string;
  /** Validator DNS/IP SANs (validators only). */
  readonly sans?: SubjectAltNames;
  /** Validity in days (default 365). */
  readonly validityDays?: number;
  /** Issuance time (default: now). */
  readonly now?: Date;
  /** RSA size of the generated key (default 2048). */
  readonly keyBits?: number;
  /** CA certificates to bundle after the leaf, nearest first (default: just the issuing CA). */
  readonly chainPems?: readonly string[];
}

/** A server-generated credential: the certificate plus key and chain in a PKCS#12. */
export interface Pkcs12Bundle extends IssuedCertificate {
  /** DER PKCS#12: AES-256-CBC (PBES2/PBKDF2) shrouded key bag, certificates, SHA-1 HMAC. */
  readonly pkcs12Der: Buffer;
}

/**
 * Generates a key on the CA side, issues a certificate for it and packs key, certificate and
 * chain into a password-protected PKCS#12 that OpenSSL 3 (default provider), browsers and
 * Node's `tls` (`pfx` + `passphrase`) open. The key leaves the CA only inside the PKCS#12.
 *
 * @throws AccordError `PARAM_INVALID` for an empty password, plus the errors of `issueCertificate`.
 */
export async function issuePkcs12(options: IssuePkcs12Options): Promise<Pkcs12Bundle> {
  if (options.password.length === 0) throw pkiError(PkiErrorCode.PARAM_INVALID, 'PKCS#12 password must not be empty');
  const issuer = loadIssuer(options.issuer);
  const chain = (options.chainPems ?? [options.issuer.certPem]).map(parseForgeCertificate);
  const keys = await generateRsaKeyPair(options.keyBits ?? 2048);
  const issued = signLeaf({ ...options, issuer, publicKey: forge.pki.publicKeyFromPem(keys.publicKeyPem) });
  const asn1 = forge.pkcs12.toPkcs12Asn1(
    forge.pki.privateKeyFromPem(keys.privateKeyPem),
    [forge.pki.certificateFromPem(issued.certPem), ...chain],
    options.password,
    { algorithm: 'aes256', friendlyName: options.subjectId, generateLocalKeyId: true },
  );
  return { ...issued, pkcs12Der: fromBinaryString(forge.asn1.toDer(asn1).getBytes()) };
}
