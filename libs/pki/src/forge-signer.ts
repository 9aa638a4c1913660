import { constants, privateEncrypt, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { fromBinaryString } from './encoding.js';

// DER prefix of DigestInfo { AlgorithmIdentifier sha256 NULL, OCTET STRING(32) } (RFC 8017 §9.2).
const SHA256_DIGEST_INFO_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/**
 * A stand-in for a forge RSA private key whose `sign` runs natively: forge builds and encodes
 * the TBS structure, OpenSSL does the private-key operation (pure-JS RSA-3072 signing is an
 * order of magnitude slower). Output is RSASSA-PKCS1-v1_5, identical to forge's own.
 */
export function nativeForgeSigner(privateKey: KeyObject): forge.pki.rsa.PrivateKey {
  const signer = {
    sign(md: forge.md.MessageDigest): string {
      if (md.algorithm !== 'sha256') throw new Error(`unsupported digest ${md.algorithm}`);
      const digestInfo = Buffer.concat([SHA256_DIGEST_INFO_PREFIX, fromBinaryString(md.digest().getBytes())]);
      return privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, digestInfo).toString('binary');
    },
  };
  return signer as unknown as forge.pki.rsa.PrivateKey;
}
