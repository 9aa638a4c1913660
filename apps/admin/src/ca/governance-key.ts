import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

/** A secp256k1 key pair in the forms the chain uses. */
export interface GovernanceKeyPair {
  /** Unencrypted PKCS#8 PEM (only ever held in memory). */
  privateKeyPem: string;
  /** 32-byte private scalar. */
  privateKey: Uint8Array;
  /** Compressed public key, lowercase hex (33 bytes). */
  publicKeyHex: string;
}

function fromKeyObject(key: KeyObject): GovernanceKeyPair {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.crv !== 'secp256k1' || !jwk.d || !jwk.x || !jwk.y) throw new Error('not a secp256k1 private key');
  const x = Buffer.from(jwk.x, 'base64url');
  const y = Buffer.from(jwk.y, 'base64url');
  const prefix = (y[y.length - 1]! & 1) === 1 ? '03' : '02';
  return {
    privateKeyPem: key.export({ format: 'pem', type: 'pkcs8' }).toString(),
    privateKey: new Uint8Array(Buffer.from(jwk.d, 'base64url')),
    publicKeyHex: prefix + x.toString('hex'),
  };
}

/** Generates the consortium governance key (signs membership transactions after genesis). */
export function generateGovernanceKey(): GovernanceKeyPair {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
  return fromKeyObject(privateKey);
}

/** Reads an unencrypted PKCS#8 secp256k1 PEM. */
export function readGovernanceKey(privateKeyPem: string): GovernanceKeyPair {
  return fromKeyObject(createPrivateKey({ key: privateKeyPem, format: 'pem' }));
}
