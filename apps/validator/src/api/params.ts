import { fromHex, parseAddress } from '#chain';
import { HttpAccordError } from '#common';

/** A 32-byte hash in hex (64 characters, optional 0x). */
export function parseHashParam(value: string): string {
  const bytes = fromHex(value);
  if (!bytes || bytes.length !== 32) throw new HttpAccordError(400, 'INVALID_HASH', 'hash must be 64 hex characters');
  return Buffer.from(bytes).toString('hex');
}

/** A block height: a non-negative decimal integer. */
export function parseHeightParam(value: string): number {
  if (!/^(0|[1-9][0-9]{0,14})$/.test(value)) throw new HttpAccordError(400, 'INVALID_HEIGHT', 'height must be a non-negative integer');
  return Number(value);
}

/** An account address: 0x + 40 hex characters. */
export function parseAddressParam(value: string): Uint8Array {
  const address = parseAddress(value);
  if (!address) throw new HttpAccordError(400, 'BAD_ADDRESS', 'address must be 0x followed by 40 hex characters');
  return address;
}

/** Hex-encoded bytes from a validated DTO field. */
export function hexBody(value: string): Uint8Array {
  const bytes = fromHex(value);
  if (!bytes) throw new HttpAccordError(400, 'INVALID_HEX', 'not hex-encoded bytes');
  return bytes;
}
