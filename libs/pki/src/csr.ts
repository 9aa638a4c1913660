import forge from 'node-forge';
import { fromBinaryString, sha256Hex } from './encoding.js';
import { PkiErrorCode, pkiError } from './errors.js';
import { nativeForgeSigner } from './forge-signer.js';
import { generateRsaKeyPair, loadPrivateKey, MIN_RSA_KEY_BITS } from './keys.js';
import { assertNameField, isUtf8Attribute, subjectAttributes } from './profiles.js';

/** Options of {@link createKeyAndCsr}. */
export interface CreateKeyAndCsrOptions {
  /** CN requested (the CA sets the final subject itself). */
  readonly commonName: string;
  /** O requested. */
  readonly organization: string;
  /** OU requested, e.g. `validator`. */
  readonly organizationalUnit?: string;
  /** RSA modulus size (default 2048, minimum 2048). */
  readonly keyBits?: number;
}

/** A freshly generated key and the PKCS#10 request for it. */
export interface KeyAndCsr {
  /** Unencrypted PKCS#8 PEM; stays with the requester. */
  readonly privateKeyPem: string;
  /** PKCS#10 PEM (`-----BEGIN CERTIFICATE REQUEST-----`), signed with SHA-256/RSA. */
  readonly csrPem: string;
}

/** What the CA learns from a CSR after checking its self-signature. */
export interface ParsedCsr {
  /** Requested CN, if any (informational: the CA sets the subject from the profile). */
  readonly commonName?: string;
  /** Requested O, if any. */
  readonly organization?: string;
  /** Requested OU, if any. */
  readonly organizationalUnit?: string;
  /** The requester's public key, SPKI PEM. */
  readonly publicKeyPem: string;
  /** Lowercase hex SHA-256 of the DER SubjectPublicKeyInfo. */
  readonly spkiSha256: string;
  /** RSA modulus size in bits. */
  readonly keyBits: number;
}

/**
 * Generates an RSA key and a CSR for it, as a member or validator does locally before
 * enrolling. The key is generated natively off the event loop.
 */
export async function createKeyAndCsr(options: CreateKeyAndCsrOptions): Promise<KeyAndCsr> {
  assertNameField('commonName', options.commonName);
  assertNameField('organization', options.organization);
  if (options.organizationalUnit !== undefined) assertNameField('organizationalUnit', options.organizationalUnit);
  const keys = await generateRsaKeyPair(options.keyBits ?? 2048);
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  csr.setSubject(subjectAttributes(options));
  csr.sign(nativeForgeSigner(loadPrivateKey(keys.privateKeyPem)), forge.md.sha256.create());
  return { privateKeyPem: keys.privateKeyPem, csrPem: forge.pki.certificationRequestToPem(csr).replace(/\r\n/g, '\n') };
}

function attributeValue(csr: forge.pki.CertificateSigningRequest, shortName: string): string | undefined {
  const attribute = csr.subject.getField(shortName) as forge.pki.CertificateField | null;
  if (!attribute || typeof attribute.value !== 'string') return undefined;
  return isUtf8Attribute(attribute) ? forge.util.decodeUtf8(attribute.value) : attribute.value;
}

/** A verified CSR plus its forge public key, for the issuing code. */
export interface VerifiedCsr extends ParsedCsr {
  /** The requester's key in forge form. */
  readonly forgePublicKey: forge.pki.rsa.PublicKey;
}

/** {@link parseCsr} that also hands back the forge public key. */
export function readVerifiedCsr(csrPem: string): VerifiedCsr {
  let csr: forge.pki.CertificateSigningRequest;
  try {
    csr = forge.pki.certificationRequestFromPem(csrPem);
  } catch (error) {
    throw pkiError(PkiErrorCode.CSR_INVALID, 'CSR could not be parsed as an RSA PKCS#10 request', error);
  }
  let signatureValid: boolean;
  try {
    signatureValid = csr.verify();
  } catch (error) {
    // forge throws on unsupported signature algorithms and on undecodable signature blocks.
    throw pkiError(PkiErrorCode.CSR_SIGNATURE, 'CSR signature could not be verified', error);
  }
  if (!signatureValid) throw pkiError(PkiErrorCode.CSR_SIGNATURE, 'CSR signature does not match its public key');
  const publicKey = csr.publicKey as forge.pki.rsa.PublicKey | null;
  if (!publicKey) throw pkiError(PkiErrorCode.CSR_INVALID, 'CSR carries no public key');
  const keyBits = publicKey.n.bitLength();
  if (keyBits < MIN_RSA_KEY_BITS) {
    throw pkiError(PkiErrorCode.CSR_WEAK_KEY, `CSR key is ${keyBits} bits; at least ${MIN_RSA_KEY_BITS} required`);
  }
  const spkiDer = fromBinaryString(forge.asn1.toDer(forge.pki.publicKeyToAsn1(publicKey)).getBytes());
  return {
    commonName: attributeValue(csr, 'CN'),
    organization: attributeValue(csr, 'O'),
    organizationalUnit: attributeValue(csr, 'OU'),
    publicKeyPem: forge.pki.publicKeyToPem(publicKey).replace(/\r\n/g, '\n'),
    spkiSha256: sha256Hex(spkiDer),
    keyBits,
    forgePublicKey: publicKey,
  };
}

/**
 * Parses a PKCS#10 CSR and verifies its self-signature (proof that the requester holds the key).
 *
 * @throws AccordError `CSR_INVALID` when it is not an RSA PKCS#10 PEM, `CSR_SIGNATURE` when the
 *   signature does not verify, `CSR_WEAK_KEY` below 2048 bits.
 */
export function parseCsr(csrPem: string): ParsedCsr {
  const { forgePublicKey: _forgePublicKey, ...parsed } = readVerifiedCsr(csrPem);
  return parsed;
}
