import { x509 } from './peculiar.js';
import { PkiErrorCode, pkiError } from './errors.js';
import { parseNativeCertificate } from './fingerprints.js';
import { parseCertificate, parsePeculiarCertificate, type CertificateInfo } from './inspect.js';

/**
 * Verifies that `certPem` chains to a trust anchor at `now`: each certificate is signed by the
 * next one in `chainPems`, every issuer is a CA (basicConstraints, keyCertSign when keyUsage is
 * present, pathlen respected), every certificate is within its validity period, and the last
 * entry of `chainPems` is self-signed. That last entry is the trust anchor, so it must come from
 * trusted storage (the consortium root), never from the peer. Revocation is not checked here:
 * use the CRL from `createCrl` with OpenSSL or Node's `tls`.
 *
 * @param chainPems issuers nearest first, e.g. `[issuingPem, rootPem]`
 * @returns the parsed leaf on success
 * @throws AccordError `CERT_INVALID` (unparseable), `CERT_CHAIN` (broken link or non-CA issuer),
 *   `CERT_EXPIRED`, `CERT_NOT_YET_VALID`, `PARAM_INVALID` (empty chain)
 */
export function verifyChain(certPem: string, chainPems: readonly string[], now: Date = new Date()): CertificateInfo {
  if (chainPems.length === 0) throw pkiError(PkiErrorCode.PARAM_INVALID, 'chain must contain at least the trust anchor');
  const pems = [certPem, ...chainPems];
  const natives = pems.map(parseNativeCertificate);
  const peculiars = pems.map(parsePeculiarCertificate);

  peculiars.forEach((cert, index) => {
    const label = index === 0 ? 'certificate' : `chain[${index - 1}] (${cert.subject})`;
    if (now < cert.notBefore) throw pkiError(PkiErrorCode.CERT_NOT_YET_VALID, `${label} is not valid before ${cert.notBefore.toISOString()}`);
    if (now > cert.notAfter) throw pkiError(PkiErrorCode.CERT_EXPIRED, `${label} expired at ${cert.notAfter.toISOString()}`);
  });

  for (let parentIndex = 1; parentIndex < pems.length; parentIndex++) {
    const child = natives[parentIndex - 1];
    const parent = natives[parentIndex];
    const constraints = peculiars[parentIndex].getExtension(x509.BasicConstraintsExtension);
    if (!constraints?.ca) throw pkiError(PkiErrorCode.CERT_CHAIN, `chain[${parentIndex - 1}] is not a CA certificate`);
    // Certificates strictly between the leaf and this issuer are intermediate CAs it vouches for.
    const intermediatesBelow = parentIndex - 1;
    if (constraints.pathLength !== undefined && intermediatesBelow > constraints.pathLength) {
      throw pkiError(PkiErrorCode.CERT_CHAIN, `chain[${parentIndex - 1}] allows ${constraints.pathLength} intermediate CAs below it`);
    }
    if (!child.checkIssued(parent) || !child.verify(parent.publicKey)) {
      throw pkiError(PkiErrorCode.CERT_CHAIN, `${parentIndex === 1 ? 'certificate' : `chain[${parentIndex - 2}]`} was not issued by chain[${parentIndex - 1}]`);
    }
  }

  const anchor = natives[natives.length - 1];
  if (!anchor.checkIssued(anchor) || !anchor.verify(anchor.publicKey)) {
    throw pkiError(PkiErrorCode.CERT_CHAIN, 'last chain entry is not a self-signed trust anchor');
  }
  return parseCertificate(certPem);
}
