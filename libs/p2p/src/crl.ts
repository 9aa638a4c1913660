import { derChildren, pemBlocks, readDerElement } from './der.js';
import { normalizeSerial } from './certificate-facts.js';
import { P2pError } from './errors.js';

/** The parts of an X.509 CRL the transport uses. */
export interface ParsedCrl {
  /** DER of the issuer Name, compared byte for byte with CA subjects. */
  readonly issuerDer: Buffer;
  /** Revoked serials, normalised (lowercase hex, no leading zeros). */
  readonly revokedSerials: readonly string[];
  /** The CRL itself as PEM, ready for Node's `tls` `crl` option. */
  readonly pem: string;
}

const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;
const INTEGER = 0x02;
const SEQUENCE = 0x30;

/** Parses every `X509 CRL` block of a PEM text. Throws P2P_CRL_FORMAT when there is none or one is malformed. */
export function parseCrlPem(pem: string): ParsedCrl[] {
  const blocks = pemBlocks(pem, 'X509 CRL');
  if (blocks.length === 0) throw new P2pError('P2P_CRL_FORMAT', 'no "-----BEGIN X509 CRL-----" block found');
  return blocks.map(parseCrlDer);
}

/** Parses one DER-encoded CRL (RFC 5280 CertificateList). */
export function parseCrlDer(der: Buffer): ParsedCrl {
  const list = readDerElement(der, 0);
  const tbs = derChildren(der, list)[0];
  if (!tbs || tbs.tag !== SEQUENCE) throw new P2pError('P2P_CRL_FORMAT', 'CRL has no tbsCertList');
  const fields = derChildren(der, tbs);
  // tbsCertList: version (optional), signature, issuer, thisUpdate, nextUpdate (optional),
  // revokedCertificates (optional), [0] extensions (optional).
  let index = fields[0]?.tag === INTEGER ? 1 : 0;
  index++; // signature algorithm
  const issuer = fields[index++];
  if (!issuer || issuer.tag !== SEQUENCE) throw new P2pError('P2P_CRL_FORMAT', 'CRL issuer is missing');
  index++; // thisUpdate
  const next = fields[index];
  if (next && (next.tag === UTC_TIME || next.tag === GENERALIZED_TIME)) index++;
  const revoked = fields[index]?.tag === SEQUENCE ? fields[index] : undefined;
  const revokedSerials = revoked
    ? derChildren(der, revoked).map((entry) => {
        const serial = derChildren(der, entry)[0];
        if (!serial || serial.tag !== INTEGER) throw new P2pError('P2P_CRL_FORMAT', 'revoked entry without serial');
        return normalizeSerial(der.subarray(serial.contentStart, serial.end).toString('hex'));
      })
    : [];
  const body = der.toString('base64').replace(/.{1,64}/g, '$&\n');
  return {
    issuerDer: der.subarray(issuer.start, issuer.end),
    revokedSerials,
    pem: `-----BEGIN X509 CRL-----\n${body}-----END X509 CRL-----\n`,
  };
}
