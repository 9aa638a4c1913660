import { webcrypto } from 'node:crypto';
import { x509 } from './peculiar.js';
import { derInteger } from './encoding.js';
import { PkiErrorCode, pkiError } from './errors.js';
import { parsePeculiarCertificate } from './inspect.js';
import { loadPrivateKey } from './keys.js';
import { normalizeSerial } from './serial.js';
import type { IssuerCredentials } from './types.js';

/** RFC 5280 §5.3.1 reason codes Accord writes (removeFromCRL and aACompromise have no use here). */
export type RevocationReason =
  | 'unspecified'
  | 'keyCompromise'
  | 'caCompromise'
  | 'affiliationChanged'
  | 'superseded'
  | 'cessationOfOperation'
  | 'certificateHold'
  | 'privilegeWithdrawn';

/** All {@link RevocationReason}s with their RFC 5280 codes. */
export const REVOCATION_REASON_CODES: Readonly<Record<RevocationReason, number>> = {
  unspecified: 0,
  keyCompromise: 1,
  caCompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  privilegeWithdrawn: 9,
};

/** One revoked certificate. */
export interface RevokedCertificate {
  /** Serial in any hex spelling (case, colons and leading zeros are normalised). */
  readonly serialHex: string;
  /** When the certificate was revoked (revocationDate). */
  readonly revokedAt: Date;
  /** `unspecified` is written as an entry without reasonCode, as RFC 5280 §5.3.1 asks. */
  readonly reason: RevocationReason;
}

/** Options of {@link createCrl}. */
export interface CreateCrlOptions {
  /** The issuing CA: it signed the revoked certificates and signs the CRL. */
  readonly issuer: IssuerCredentials;
  /** Certificates to list; may be empty. */
  readonly revoked: readonly RevokedCertificate[];
  /** Monotonically increasing CRL number (non-critical cRLNumber extension), ≥ 0. */
  readonly crlNumber: number | bigint;
  /** Issue time of this CRL. */
  readonly thisUpdate: Date;
  /** When relying parties must fetch a newer CRL; must be after `thisUpdate`. */
  readonly nextUpdate: Date;
}

// Node's webcrypto types and the DOM types @peculiar/x509 is written against differ only nominally.
type PeculiarCrypto = NonNullable<Parameters<typeof x509.X509CrlGenerator.create>[1]>;

const CRL_NUMBER_OID = '2.5.29.20';
const SIGNING_ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

/**
 * Produces a signed X.509 v2 CRL as PEM labelled `-----BEGIN X509 CRL-----` (the label OpenSSL
 * and Node's `tls` `crl` option expect). It carries the issuer's name and key identifier, the
 * CRL number, thisUpdate/nextUpdate and per-entry reason codes; signature SHA-256 with RSA.
 *
 * Works for either CA: with `issuer` = issuing CA it lists revoked leaves; with `issuer` = root
 * it lists revoked issuing CAs (usually none). Node's `tls` `crl` option enables
 * X509_V_FLAG_CRL_CHECK_ALL, which demands a current CRL for every CA in the path, so peers
 * must be given both: `crl: [issuingCrlPem, rootCrlPem]`.
 *
 * @throws AccordError `PARAM_INVALID` for a negative CRL number, nextUpdate ≤ thisUpdate,
 *   malformed or duplicate serials; `KEY_INVALID` / `CERT_INVALID` for bad issuer credentials.
 */
export async function createCrl(options: CreateCrlOptions): Promise<string> {
  const crlNumber = BigInt(options.crlNumber);
  if (crlNumber < 0n || crlNumber >= 1n << 159n) throw pkiError(PkiErrorCode.PARAM_INVALID, 'crlNumber must be in [0, 2^159)');
  if (!(options.nextUpdate.getTime() > options.thisUpdate.getTime())) {
    throw pkiError(PkiErrorCode.PARAM_INVALID, 'nextUpdate must be after thisUpdate');
  }
  const seen = new Set<string>();
  const entries = options.revoked.map((entry): x509.X509CrlEntryParams => {
    let serial;
    try {
      serial = normalizeSerial(entry.serialHex);
    } catch (error) {
      throw pkiError(PkiErrorCode.PARAM_INVALID, `revoked serial "${entry.serialHex}" is not hex`, error);
    }
    if (seen.has(serial.serialHex)) throw pkiError(PkiErrorCode.PARAM_INVALID, `serial ${serial.serialHex} listed twice`);
    seen.add(serial.serialHex);
    const reasonCode = REVOCATION_REASON_CODES[entry.reason];
    if (reasonCode === undefined) throw pkiError(PkiErrorCode.PARAM_INVALID, `unknown revocation reason "${entry.reason}"`);
    return { serialNumber: serial.derHex, revocationDate: entry.revokedAt, reason: reasonCode as x509.X509CrlReason };
  });

  const issuerCert = parsePeculiarCertificate(options.issuer.certPem);
  const pkcs8 = loadPrivateKey(options.issuer.privateKeyPem).export({ type: 'pkcs8', format: 'der' });
  const signingKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, SIGNING_ALGORITHM, false, ['sign']);
  const keyIdentifier = issuerCert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
  const extensions: x509.Extension[] = [new x509.Extension(CRL_NUMBER_OID, false, derInteger(crlNumber))];
  if (keyIdentifier) extensions.push(new x509.AuthorityKeyIdentifierExtension(keyIdentifier, false));

  const crl = await x509.X509CrlGenerator.create(
    {
      issuer: issuerCert.subjectName,
      thisUpdate: options.thisUpdate,
      nextUpdate: options.nextUpdate,
      entries,
      extensions,
      signingAlgorithm: SIGNING_ALGORITHM,
      signingKey: signingKey as unknown as x509.X509CrlCreateParams['signingKey'],
    },
    webcrypto as unknown as PeculiarCrypto,
  );
  // The library labels its PEM "X509 CRL" or "CRL" depending on version; normalise explicitly.
  return x509.PemConverter.encode(crl.rawData, 'X509 CRL').replace(/\r\n/g, '\n') + '\n';
}
