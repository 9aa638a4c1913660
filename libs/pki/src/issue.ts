import forge from 'node-forge';
import { loadIssuer, notBeforeFor, signCertificate, type LoadedIssuer } from './builder.js';
import { readVerifiedCsr } from './csr.js';
import { PkiErrorCode, pkiError } from './errors.js';
import { parseNativeCertificate } from './fingerprints.js';
import { parseCertificate } from './inspect.js';
import {
  assertNameField,
  assertProfile,
  assertSubjectId,
  leafExtensions,
  subjectAttributes,
  type CertificateProfile,
  type SubjectAltNames,
} from './profiles.js';
import type { IssuedCertificate, IssuerCredentials } from './types.js';

/** Default leaf validity. */
export const DEFAULT_LEAF_VALIDITY_DAYS = 365;
const MAX_LEAF_VALIDITY_DAYS = 825;

/** Options of {@link issueCertificate}. */
export interface IssueCertificateOptions {
  /** The issuing CA (certificate and unencrypted key). */
  readonly issuer: IssuerCredentials;
  /** The requester's PKCS#10 CSR; only its public key is used, after its signature is checked. */
  readonly csrPem: string;
  /** Which profile to apply; it becomes the subject OU. */
  readonly profile: CertificateProfile;
  /** Node id (validator) or member id (client, org-admin): the CN and the identity URN. */
  readonly subjectId: string;
  /** The member organisation: the subject O. */
  readonly organization: string;
  /** Validator DNS/IP SANs (default `DNS:localhost, IP:127.0.0.1`); must be absent for other profiles. */
  readonly sans?: SubjectAltNames;
  /** Validity in days, 1..825 (default 365); capped at the issuing CA's notAfter. */
  readonly validityDays?: number;
  /** Issuance time (default: now); notBefore is 5 minutes earlier to tolerate clock skew. */
  readonly now?: Date;
}

interface LeafRequest {
  readonly issuer: LoadedIssuer;
  readonly publicKey: forge.pki.PublicKey;
  readonly profile: CertificateProfile;
  readonly subjectId: string;
  readonly organization: string;
  readonly sans?: SubjectAltNames;
  readonly validityDays?: number;
  readonly now?: Date;
}

/** Signs a leaf certificate for an already-trusted public key. */
export function signLeaf(request: LeafRequest): IssuedCertificate {
  assertProfile(request.profile);
  assertSubjectId(request.subjectId);
  assertNameField('organization', request.organization);
  const validityDays = request.validityDays ?? DEFAULT_LEAF_VALIDITY_DAYS;
  if (!Number.isInteger(validityDays) || validityDays < 1 || validityDays > MAX_LEAF_VALIDITY_DAYS) {
    throw pkiError(PkiErrorCode.PARAM_INVALID, `validityDays must be an integer in [1, ${MAX_LEAF_VALIDITY_DAYS}]`);
  }
  const now = request.now ?? new Date();
  const requestedNotAfter = new Date(now.getTime() + validityDays * 86_400_000);
  // A leaf outliving its issuer would fail path validation at the end anyway; stop it early.
  const notAfter = requestedNotAfter > request.issuer.notAfter ? request.issuer.notAfter : requestedNotAfter;
  return signCertificate({
    publicKey: request.publicKey,
    subject: subjectAttributes({ commonName: request.subjectId, organization: request.organization, organizationalUnit: request.profile }),
    extensions: leafExtensions(request.profile, request.subjectId, request.sans),
    notBefore: notBeforeFor(now),
    notAfter,
    issuer: request.issuer,
  });
}

/**
 * Issues a leaf certificate from a CSR. The subject is set by the CA —
 * `CN=<subjectId>, O=<organization>, OU=<profile>` — never copied from the CSR, and the SANs are
 * the identity URN (`urn:accord:validator:<id>` or `urn:accord:member:<id>`) plus, for
 * validators, the given DNS/IP names. Serial: random 128-bit.
 *
 * @throws AccordError `CSR_INVALID` / `CSR_SIGNATURE` / `CSR_WEAK_KEY` for a bad CSR,
 *   `PROFILE_INVALID`, `SUBJECT_INVALID`, `SAN_INVALID`, `PARAM_INVALID` for bad options,
 *   `KEY_INVALID` / `CERT_INVALID` for bad issuer credentials.
 */
export function issueCertificate(options: IssueCertificateOptions): IssuedCertificate {
  assertProfile(options.profile);
  const csr = readVerifiedCsr(options.csrPem);
  return signLeaf({ ...options, issuer: loadIssuer(options.issuer), publicKey: csr.forgePublicKey });
}

/** Options of {@link renewCertificate}. */
export interface RenewCertificateOptions {
  /** The issuing CA; it must have signed `certPem`. */
  readonly issuer: IssuerCredentials;
  /** The certificate being renewed (may already be expired). */
  readonly certPem: string;
  /** A CSR for a new key (key rotation); absent → the old certificate's key is kept. */
  readonly csrPem?: string;
  /** Replacement validator SANs; default: those of the old certificate. */
  readonly sans?: SubjectAltNames;
  /** Validity in days (default 365). */
  readonly validityDays?: number;
  /** Issuance time (default: now). */
  readonly now?: Date;
}

/**
 * Renews an Accord leaf certificate: same profile, subject id and organisation, a new serial and
 * validity period; the key is the old one, or the new one from `csrPem`. Revoking the old
 * certificate (reason `superseded`) is the caller's decision.
 *
 * @throws AccordError `PROFILE_INVALID` when `certPem` carries no Accord role or identity URN,
 *   `CERT_CHAIN` when `issuer` did not sign it, plus the errors of {@link issueCertificate}.
 */
export function renewCertificate(options: RenewCertificateOptions): IssuedCertificate {
  const old = parseCertificate(options.certPem);
  if (!old.role || !old.subjectId || !old.subject.organization) {
    throw pkiError(PkiErrorCode.PROFILE_INVALID, 'certificate is not an Accord leaf certificate (no role OU or identity URN)');
  }
  const issuer = loadIssuer(options.issuer);
  const oldNative = parseNativeCertificate(options.certPem);
  if (!oldNative.verify(parseNativeCertificate(options.issuer.certPem).publicKey)) {
    throw pkiError(PkiErrorCode.CERT_CHAIN, 'certificate to renew was not signed by this issuing CA');
  }
  const publicKey = options.csrPem
    ? readVerifiedCsr(options.csrPem).forgePublicKey
    : forge.pki.publicKeyFromPem(oldNative.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  const sans = options.sans ?? (old.role === 'validator' ? { dns: old.dnsNames, ips: old.ipAddresses } : undefined);
  return signLeaf({
    issuer,
    publicKey,
    profile: old.role,
    subjectId: old.subjectId,
    organization: old.subject.organization,
    sans,
    validityDays: options.validityDays,
    now: options.now,
  });
}
