import { createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { fromBinaryString, sha256Hex } from './encoding.js';
import { PkiErrorCode, pkiError } from './errors.js';
import { nativeForgeSigner } from './forge-signer.js';
import { loadPrivateKey } from './keys.js';
import { isUtf8Attribute } from './profiles.js';
import { randomSerial } from './serial.js';
import type { IssuedCertificate, IssuerCredentials } from './types.js';

/** Backdating of notBefore so peers with slightly slow clocks accept a fresh certificate. */
export const CLOCK_SKEW_ALLOWANCE_MS = 5 * 60_000;

/** The issuing side of a signature, parsed once per call. */
export interface LoadedIssuer {
  /** Issuer certificate, forge form. */
  readonly cert: forge.pki.Certificate;
  /** Issuer private key, native. */
  readonly key: KeyObject;
  /** Subject key identifier of the issuer, forge binary string. */
  readonly keyIdentifier: string;
  /** Issuer notAfter; leaves are capped to it. */
  readonly notAfter: Date;
}

/** Parses a certificate PEM with forge or throws `CERT_INVALID`. */
export function parseForgeCertificate(certPem: string): forge.pki.Certificate {
  try {
    return forge.pki.certificateFromPem(certPem);
  } catch (error) {
    throw pkiError(PkiErrorCode.CERT_INVALID, 'certificate PEM could not be parsed (RSA X.509 expected)', error);
  }
}

// forge parses UTF8String attribute values as raw UTF-8 bytes but re-encodes them on output;
// decoding here keeps non-ASCII issuer names byte-identical in the issued certificate.
function decodedAttributes(attributes: forge.pki.CertificateField[]): forge.pki.CertificateField[] {
  return attributes.map((attribute) =>
    isUtf8Attribute(attribute) && typeof attribute.value === 'string'
      ? { ...attribute, value: forge.util.decodeUtf8(attribute.value) }
      : attribute,
  );
}

/**
 * Parses the issuer's certificate and key and checks that they belong together and that the
 * certificate is a CA allowed to sign certificates.
 */
export function loadIssuer(issuer: IssuerCredentials): LoadedIssuer {
  const cert = parseForgeCertificate(issuer.certPem);
  const native = new X509Certificate(issuer.certPem);
  const keyUsage = cert.getExtension('keyUsage') as { keyCertSign?: boolean } | undefined;
  if (!native.ca || (keyUsage !== undefined && keyUsage.keyCertSign !== true)) {
    throw pkiError(PkiErrorCode.CERT_INVALID, 'issuer certificate is not a CA certificate allowed to sign certificates');
  }
  const key = loadPrivateKey(issuer.privateKeyPem);
  const certSpki = native.publicKey.export({ type: 'spki', format: 'der' });
  const keySpki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  if (!certSpki.equals(keySpki)) {
    throw pkiError(PkiErrorCode.KEY_INVALID, 'issuer private key does not match the issuer certificate');
  }
  const skiExtension = cert.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | undefined;
  const keyIdentifier = skiExtension?.subjectKeyIdentifier
    ? forge.util.hexToBytes(skiExtension.subjectKeyIdentifier)
    : cert.generateSubjectKeyIdentifier().getBytes();
  return { cert, key, keyIdentifier, notAfter: cert.validity.notAfter };
}

/** Everything that varies between the certificates Accord signs. */
export interface CertificateBlueprint {
  /** Subject public key. */
  readonly publicKey: forge.pki.PublicKey;
  /** Subject name attributes. */
  readonly subject: forge.pki.CertificateField[];
  /** forge extension descriptors; key identifiers are appended here. */
  readonly extensions: object[];
  /** Requested start of validity (truncated to whole seconds). */
  readonly notBefore: Date;
  /** Requested end of validity (truncated to whole seconds). */
  readonly notAfter: Date;
  /** undefined → self-signed with `selfSigningKey`. */
  readonly issuer?: LoadedIssuer;
  /** Key of a self-signed certificate. */
  readonly selfSigningKey?: KeyObject;
}

function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/** Signs a certificate (SHA-256 with RSA) with a fresh random serial and returns it with its digests. */
export function signCertificate(blueprint: CertificateBlueprint): IssuedCertificate {
  const cert = forge.pki.createCertificate();
  const serial = randomSerial();
  cert.serialNumber = serial.derHex;
  cert.publicKey = blueprint.publicKey;
  cert.validity.notBefore = wholeSeconds(blueprint.notBefore);
  cert.validity.notAfter = wholeSeconds(blueprint.notAfter);
  if (cert.validity.notAfter <= cert.validity.notBefore) {
    throw pkiError(PkiErrorCode.PARAM_INVALID, 'notAfter must be later than notBefore');
  }
  cert.setSubject(blueprint.subject);
  const issuer = blueprint.issuer;
  cert.setIssuer(issuer ? decodedAttributes(issuer.cert.subject.attributes) : blueprint.subject);
  const authorityKeyIdentifier = issuer ? issuer.keyIdentifier : cert.generateSubjectKeyIdentifier().getBytes();
  cert.setExtensions([
    ...blueprint.extensions,
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: authorityKeyIdentifier },
  ]);
  const signingKey = issuer?.key ?? blueprint.selfSigningKey;
  if (!signingKey) throw new Error('signCertificate needs an issuer or a self-signing key');
  cert.sign(nativeForgeSigner(signingKey), forge.md.sha256.create());
  const der = fromBinaryString(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes());
  const spkiDer = fromBinaryString(forge.asn1.toDer(forge.pki.publicKeyToAsn1(blueprint.publicKey)).getBytes());
  return {
    certPem: forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n'),
    serialHex: serial.serialHex,
    notBefore: cert.validity.notBefore,
    notAfter: cert.validity.notAfter,
    spkiSha256: sha256Hex(spkiDer),
    fingerprintSha256: sha256Hex(der),
  };
}

/** Start of validity for a certificate issued at `now`. */
export function notBeforeFor(now: Date): Date {
  return new Date(now.getTime() - CLOCK_SKEW_ALLOWANCE_MS);
}
