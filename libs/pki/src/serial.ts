import { randomBytes } from 'node:crypto';

/** A certificate serial number in its two spellings. */
export interface SerialNumber {
  /** Lowercase hex without leading zeros: how Accord prints, stores and revokes serials. */
  readonly serialHex: string;
  /** Even-length hex of the DER INTEGER content (a 00 byte prepended when the top bit is set). */
  readonly derHex: string;
}

/** Normalises any hex serial spelling (upper case, colons, leading zeros) to {@link SerialNumber}. */
export function normalizeSerial(hex: string): SerialNumber {
  const clean = hex.replace(/[:\s]/g, '').toLowerCase();
  if (!/^[0-9a-f]+$/.test(clean)) throw new RangeError(`not a hex serial: ${hex}`);
  const serialHex = BigInt(`0x${clean}`).toString(16);
  let derHex = serialHex.length % 2 === 1 ? `0${serialHex}` : serialHex;
  if (parseInt(derHex.slice(0, 2), 16) >= 0x80) derHex = `00${derHex}`;
  return { serialHex, derHex };
}

/**
 * A fresh random 128-bit positive serial (RFC 5280 allows up to 20 octets; 128 bits of CSPRNG
 * output makes collisions and prediction negligible without a central counter).
 */
export function randomSerial(): SerialNumber {
  let bytes = randomBytes(16);
  while (bytes.every((byte) => byte === 0)) bytes = randomBytes(16);
  return normalizeSerial(bytes.toString('hex'));
}
