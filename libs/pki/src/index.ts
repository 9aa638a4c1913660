/**
 * `#pki`: the consortium certificate authority toolkit. Pure functions — PEM in, PEM out, `now`
 * injectable — so the admin app owns storage and HTTP and tests need no fixtures on disk.
 */
export { PkiErrorCode } from './errors.js';
export type { CertificateWithKey, IssuedCertificate, IssuerCredentials } from './types.js';
export {
  CERTIFICATE_PROFILES,
  DEV_VALIDATOR_SANS,
  MEMBER_URN_PREFIX,
  VALIDATOR_URN_PREFIX,
  identityUrn,
  type CertificateProfile,
  type SubjectAltNames,
} from './profiles.js';
export {
  MIN_CA_KEY_BITS,
  MIN_RSA_KEY_BITS,
  decryptPrivateKey,
  encryptPrivateKey,
  generateRsaKeyPair,
  type RsaKeyPairPem,
} from './keys.js';
export { createConsortiumCa, type CaCertificate, type ConsortiumCa, type CreateConsortiumCaOptions } from './ca.js';
export { createKeyAndCsr, parseCsr, type CreateKeyAndCsrOptions, type KeyAndCsr, type ParsedCsr } from './csr.js';
export {
  DEFAULT_LEAF_VALIDITY_DAYS,
  issueCertificate,
  renewCertificate,
  type IssueCertificateOptions,
  type RenewCertificateOptions,
} from './issue.js';
export { certificateFingerprintSha256, spkiSha256 } from './fingerprints.js';
export { daysUntilExpiry, isExpiringSoon, parseCertificate, type CertificateInfo, type NameSummary } from './inspect.js';
export { issuePkcs12, type IssuePkcs12Options, type Pkcs12Bundle } from './pkcs12.js';
export {
  REVOCATION_REASON_CODES,
  createCrl,
  type CreateCrlOptions,
  type RevocationReason,
  type RevokedCertificate,
} from './crl.js';
export {
  ENROLLMENT_PROOF_DOMAIN,
  enrollmentProofDigest,
  signEnrollmentProof,
  verifyEnrollmentProof,
  type EnrollmentProof,
  type EnrollmentProofInput,
  type SignEnrollmentProofOptions,
} from './enrollment.js';
export { verifyChain } from './chain.js';
export { parseCrl, type CrlEntryInfo, type CrlInfo } from './crl-read.js';
