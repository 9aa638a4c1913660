import { webcrypto } from 'node:crypto';
import { x509 } from './peculiar.js';
import { REVOCATION_REASON_CODES, type RevocationReason } from './crl.js';
import { PkiErrorCode, pkiError } from './errors.js';
import { parsePeculiarCertificate, type NameSummary } from './inspect.js';
import { normalizeSerial } from './serial.js';

/** One entry of a parsed CRL. */
export interface CrlEntryInfo {
  /** Lowercase hex without leading zeros, comparable with `IssuedCertificate.serialHex`. */
  readonly serialHex: string;
  /** revocationDate of the entry. */
  readonly revokedAt: Date;
  /** Reason name; `unspecified` when the entry has no reasonCode; `unknown` for codes Accord does not name. */
  readonly reason: RevocationReason | 'unknown';
}

/** A parsed and (when an issuer was given) signature-checked CRL. */
export interface CrlInfo {
  /** Issuer name as written in the CRL. */
  readonly issuer: NameSummary;
  /** The cRLNumber extension, absent in CRLs from other tooling that omit it. */
  readonly crlNumber?: bigint;
  /** Issue time. */
  readonly thisUpdate: Date;
  /** Time by which a newer CRL must be fetched. */
  readonly nextUpdate?: Date;
  /** Entries in CRL order. */
  readonly revoked: readonly CrlEntryInfo[];
  /** Revoked serials (lowercase hex, no leading zeros) for O(1) lookups. */
  readonly revokedSerials: ReadonlySet<string>;
}

const CRL_NUMBER_OID = '2.5.29.20';
const REASON_NAMES: ReadonlyMap<number, RevocationReason> = new Map(
  Object.entries(REVOCATION_REASON_CODES).map(([name, code]) => [code, name as RevocationReason]),
);
type PeculiarCrypto = NonNullable<Parameters<x509.X509Crl['verify']>[1]>;

function readDerInteger(der: Uint8Array): bigint | undefined {
  // Short-form INTEGER only: CRL numbers are at most 20 octets (RFC 5280 §5.2.3).
  if (der.length < 3 || der[0] !== 0x02 || der[1] !== der.length - 2) return undefined;
  return BigInt(`0x${Buffer.from(der.subarray(2)).toString('hex')}`);
}

function sameBytes(a: ArrayBuffer, b: ArrayBuffer): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

/**
 * Parses a CRL (PEM labelled `X509 CRL` or `CRL`) into its number, validity window and revoked
 * serials. With `issuerCertPem` it also checks that the CRL names that CA as issuer and carries
 * a valid signature by its key — do pass it whenever the CRL came over the network. Freshness
 * (`nextUpdate` in the past) is left to the caller, who knows its clock and its grace period.
 *
 * @throws AccordError `CRL_INVALID` for unparseable input, `CRL_SIGNATURE` when the issuer name
 *   or signature does not match `issuerCertPem`, `CERT_INVALID` for a bad issuer certificate.
 */
export async function parseCrl(crlPem: string, issuerCertPem?: string): Promise<CrlInfo> {
  let crl: x509.X509Crl;
  try {
    crl = new x509.X509Crl(crlPem.replace(/-----(BEGIN|END) CRL-----/g, '-----$1 X509 CRL-----'));
  } catch (error) {
    throw pkiError(PkiErrorCode.CRL_INVALID, 'CRL PEM could not be parsed', error);
  }
  if (issuerCertPem !== undefined) {
    const issuer = parsePeculiarCertificate(issuerCertPem);
    if (!sameBytes(crl.issuerName.toArrayBuffer(), issuer.subjectName.toArrayBuffer())) {
      throw pkiError(PkiErrorCode.CRL_SIGNATURE, `CRL issuer "${crl.issuer}" is not "${issuer.subject}"`);
    }
    let valid: boolean;
    try {
      valid = await crl.verify({ publicKey: issuer }, webcrypto as unknown as PeculiarCrypto);
    } catch (error) {
      throw pkiError(PkiErrorCode.CRL_SIGNATURE, 'CRL signature could not be verified', error);
    }
    if (!valid) throw pkiError(PkiErrorCode.CRL_SIGNATURE, 'CRL signature does not verify with the issuer key');
  }
  const numberExtension = crl.extensions.find((extension) => extension.type === CRL_NUMBER_OID);
  const revoked = crl.entries.map((entry): CrlEntryInfo => ({
    serialHex: normalizeSerial(entry.serialNumber).serialHex,
    revokedAt: entry.revocationDate,
    reason: entry.reason === undefined ? 'unspecified' : (REASON_NAMES.get(entry.reason) ?? 'unknown'),
  }));
  const name = crl.issuerName;
  return {
    issuer: { commonName: name.getField('CN')[0], organization: name.getField('O')[0], organizationalUnit: name.getField('OU')[0], text: name.toString() },
    crlNumber: numberExtension ? readDerInteger(new Uint8Array(numberExtension.value)) : undefined,
    thisUpdate: crl.thisUpdate,
    nextUpdate: crl.nextUpdate,
    revoked,
    revokedSerials: new Set(revoked.map((entry) => entry.serialHex)),
  };
}
