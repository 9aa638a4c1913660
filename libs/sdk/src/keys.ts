import { addressOf, formatAddress, fromHex, generatePrivateKey, publicKeyOf, toHex } from '#chain';
import { AccordError } from '#common';

/** A secp256k1 account key pair. Keep `privateKey` secret: it signs transactions. */
export interface KeyPair {
  privateKey: Uint8Array;
  publicKey: Uint8Array;
  /** `0x` + 40 hex characters. */
  address: string;
}

/** A fresh random key pair. */
export function generateKeyPair(): KeyPair {
  return keyPairFromPrivateKey(generatePrivateKey());
}

/** The key pair of a 32-byte private key. */
export function keyPairFromPrivateKey(privateKey: Uint8Array): KeyPair {
  const publicKey = publicKeyOf(privateKey);
  return { privateKey, publicKey, address: formatAddress(addressOf(publicKey)) };
}

/** The key pair of a private key in hex (64 characters, optional 0x). */
export function keyPairFromHex(privateKeyHex: string): KeyPair {
  const bytes = fromHex(privateKeyHex.trim());
  if (!bytes || bytes.length !== 32) throw new AccordError('BAD_PRIVATE_KEY', 'a private key is 64 hex characters');
  return keyPairFromPrivateKey(bytes);
}

/** JSON form of a key pair for a key file (written with mode 0600 by the CLI). */
export function keyPairToJson(keyPair: KeyPair): { privateKey: string; publicKey: string; address: string } {
  return { privateKey: toHex(keyPair.privateKey), publicKey: toHex(keyPair.publicKey), address: keyPair.address };
}
