import { createPrivateKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { PkiErrorCode, pkiError } from './errors.js';

const generateKeyPairAsync = promisify(generateKeyPair);

/** Smallest RSA modulus Accord accepts anywhere (CSRs, leaf keys). */
export const MIN_RSA_KEY_BITS = 2048;

/** Smallest RSA modulus accepted for the consortium root and issuing CAs. */
export const MIN_CA_KEY_BITS = 3072;

/** An RSA key pair as PEM: PKCS#8 `PRIVATE KEY` and SPKI `PUBLIC KEY`. */
export interface RsaKeyPairPem {
  /** Unencrypted PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`). */
  readonly privateKeyPem: string;
  /** SPKI PEM (`-----BEGIN PUBLIC KEY-----`). */
  readonly publicKeyPem: string;
}

/**
 * Generates an RSA key pair (public exponent 65537) with OpenSSL in libuv's thread pool, so the
 * event loop stays free while a 3072-bit prime search runs.
 */
export async function generateRsaKeyPair(bits: number): Promise<RsaKeyPairPem> {
  if (!Number.isInteger(bits) || bits < MIN_RSA_KEY_BITS || bits > 8192 || bits % 8 !== 0) {
    throw pkiError(PkiErrorCode.PARAM_INVALID, `RSA key size must be a multiple of 8 in [${MIN_RSA_KEY_BITS}, 8192], got ${bits}`);
  }
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', {
    modulusLength: bits,
    publicExponent: 0x10001,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/** Reads an unencrypted private key PEM (PKCS#8 or PKCS#1) into a KeyObject, or throws `KEY_INVALID`. */
export function loadPrivateKey(privateKeyPem: string): KeyObject {
  try {
    return createPrivateKey({ key: privateKeyPem, format: 'pem' });
  } catch (error) {
    throw pkiError(PkiErrorCode.KEY_INVALID, 'private key PEM could not be read (encrypted keys must be decrypted first)', error);
  }
}

/**
 * Encrypts a private key for storage at rest as PKCS#8 `ENCRYPTED PRIVATE KEY` PEM: PBES2 with
 * PBKDF2-HMAC-SHA256 and AES-256-CBC, written by OpenSSL itself so `openssl pkey -passin` reads it.
 *
 * @param privateKeyPem unencrypted PKCS#8 or PKCS#1 PEM
 * @param passphrase non-empty passphrase
 */
export function encryptPrivateKey(privateKeyPem: string, passphrase: string): string {
  if (passphrase.length === 0) throw pkiError(PkiErrorCode.PARAM_INVALID, 'passphrase must not be empty');
  return loadPrivateKey(privateKeyPem)
    .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase })
    .toString();
}

/**
 * Decrypts a PEM written by {@link encryptPrivateKey} (or any OpenSSL-readable encrypted key)
 * back to unencrypted PKCS#8 PEM. A wrong passphrase or corrupt input throws `KEY_DECRYPT`.
 */
export function decryptPrivateKey(encryptedPem: string, passphrase: string): string {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: encryptedPem, format: 'pem', passphrase });
  } catch (error) {
    throw pkiError(PkiErrorCode.KEY_DECRYPT, 'private key could not be decrypted (wrong passphrase or corrupt key)', error);
  }
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}
