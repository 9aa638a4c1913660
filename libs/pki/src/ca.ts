import forge from 'node-forge';
import { loadIssuer, notBeforeFor, signCertificate } from './builder.js';
import { PkiErrorCode, pkiError } from './errors.js';
import { generateRsaKeyPair, loadPrivateKey, MIN_CA_KEY_BITS } from './keys.js';
import { assertNameField, utf8Attribute } from './profiles.js';
import type { IssuedCertificate } from './types.js';

/** Options of {@link createConsortiumCa}. */
export interface CreateConsortiumCaOptions {
  /** Consortium name; becomes the O of both CAs and the prefix of their CNs (≤ 50 characters). */
  readonly name: string;
  /** Root RSA modulus size, at least 3072 (default 3072). */
  readonly rootKeyBits?: number;
  /** Issuing CA RSA modulus size, at least 3072 (default 3072). */
  readonly issuingKeyBits?: number;
  /** Root validity in years (default 10). */
  readonly validityYears?: number;
  /** Issuing CA validity in years, at most the root's (default: half the root's, rounded up). */
  readonly issuingValidityYears?: number;
  /** Clock for notBefore/notAfter (default: the current time). */
  readonly now?: Date;
}

/** A CA certificate, its metadata and its unencrypted private key. */
export interface CaCertificate extends IssuedCertificate {
  /** Unencrypted PKCS#8 PEM; encrypt with `encryptPrivateKey` before storing. */
  readonly privateKeyPem: string;
}

/** The consortium's two-level CA: an offline-able root and the online issuing CA. */
export interface ConsortiumCa {
  /** Self-signed root: CA:true (critical), keyCertSign + cRLSign. */
  readonly root: CaCertificate;
  /** Signed by the root: CA:true pathlen:0, keyCertSign + cRLSign; signs leaves and CRLs. */
  readonly issuing: CaCertificate;
}

const caKeyUsage = { name: 'keyUsage', critical: true, keyCertSign: true, cRLSign: true };

function addYears(date: Date, years: number): Date {
  const result = new Date(date.getTime());
  result.setUTCFullYear(result.getUTCFullYear() + years);
  return result;
}

function assertCaKeyBits(bits: number, which: string): void {
  if (!Number.isInteger(bits) || bits < MIN_CA_KEY_BITS) {
    throw pkiError(PkiErrorCode.PARAM_INVALID, `${which} key must be at least ${MIN_CA_KEY_BITS} bits, got ${bits}`);
  }
}

/**
 * Creates the consortium root CA and the issuing CA it certifies. Both RSA keys are generated
 * concurrently by OpenSSL off the event loop. Subjects: `CN=<name> Root CA, O=<name>` and
 * `CN=<name> Issuing CA, O=<name>`.
 *
 * @throws AccordError `SUBJECT_INVALID` for a bad name, `PARAM_INVALID` for key sizes below 3072
 *   or non-positive validities.
 */
export async function createConsortiumCa(options: CreateConsortiumCaOptions): Promise<ConsortiumCa> {
  const name = options.name;
  assertNameField('consortium name', name);
  if ([...name].length > 50) throw pkiError(PkiErrorCode.SUBJECT_INVALID, 'consortium name must be at most 50 characters');
  const rootKeyBits = options.rootKeyBits ?? 3072;
  const issuingKeyBits = options.issuingKeyBits ?? 3072;
  assertCaKeyBits(rootKeyBits, 'root');
  assertCaKeyBits(issuingKeyBits, 'issuing CA');
  const validityYears = options.validityYears ?? 10;
  const issuingValidityYears = options.issuingValidityYears ?? Math.ceil(validityYears / 2);
  if (!Number.isInteger(validityYears) || validityYears < 1 || !Number.isInteger(issuingValidityYears) || issuingValidityYears < 1 || issuingValidityYears > validityYears) {
    throw pkiError(PkiErrorCode.PARAM_INVALID, 'validity years must be positive integers with issuing ≤ root');
  }
  const now = options.now ?? new Date();
  const notBefore = notBeforeFor(now);

  const [rootKeys, issuingKeys] = await Promise.all([generateRsaKeyPair(rootKeyBits), generateRsaKeyPair(issuingKeyBits)]);

  const rootIssued = signCertificate({
    publicKey: forge.pki.publicKeyFromPem(rootKeys.publicKeyPem),
    subject: [
      utf8Attribute('CN', `${name} Root CA`),
      utf8Attribute('O', name),
    ],
    extensions: [{ name: 'basicConstraints', cA: true, critical: true }, caKeyUsage],
    notBefore,
    notAfter: addYears(now, validityYears),
    selfSigningKey: loadPrivateKey(rootKeys.privateKeyPem),
  });
  const root: CaCertificate = { ...rootIssued, privateKeyPem: rootKeys.privateKeyPem };

  const issuingIssued = signCertificate({
    publicKey: forge.pki.publicKeyFromPem(issuingKeys.publicKeyPem),
    subject: [
      utf8Attribute('CN', `${name} Issuing CA`),
      utf8Attribute('O', name),
    ],
    extensions: [{ name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true }, caKeyUsage],
    notBefore,
    notAfter: addYears(now, issuingValidityYears),
    issuer: loadIssuer(root),
  });
  return { root, issuing: { ...issuingIssued, privateKeyPem: issuingKeys.privateKeyPem } };
}
