/** A certificate together with its unencrypted private key, both PEM. */
export interface CertificateWithKey {
  /** Certificate PEM (`-----BEGIN CERTIFICATE-----`). */
  readonly certPem: string;
  /** Unencrypted PKCS#8 PEM. Encrypt with `encryptPrivateKey` before storing it. */
  readonly privateKeyPem: string;
}

/** The CA that signs a certificate or CRL: in Accord always the issuing CA. */
export type IssuerCredentials = CertificateWithKey;

/** What the CA returns for every certificate it signs. */
export interface IssuedCertificate {
  /** The new certificate, PEM. */
  readonly certPem: string;
  /** Serial number, lowercase hex without leading zeros (the form used in CRL requests). */
  readonly serialHex: string;
  /** Start of validity as encoded in the certificate (whole seconds). */
  readonly notBefore: Date;
  /** End of validity as encoded in the certificate (whole seconds). */
  readonly notAfter: Date;
  /** Lowercase hex SHA-256 of the certificate's DER SubjectPublicKeyInfo (key pinning id). */
  readonly spkiSha256: string;
  /** Lowercase hex SHA-256 of the certificate's DER encoding. */
  readonly fingerprintSha256: string;
}
