import { createHash } from 'node:crypto';

/** Lowercase hex SHA-256 of bytes or of a string's UTF-8 encoding. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Wraps DER bytes in a PEM block with 64-character lines. */
export function derToPem(der: Uint8Array, label: string): string {
  const base64 = Buffer.from(der).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** Extracts the DER bytes of the first PEM block with `label`, or undefined when absent. */
export function pemToDer(pem: string, label: string): Buffer | undefined {
  const match = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(pem);
  return match ? Buffer.from(match[1].replace(/\s+/g, ''), 'base64') : undefined;
}

/** DER encoding (tag, length, content) of a non-negative INTEGER. */
export function derInteger(value: bigint): Uint8Array {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  // A leading byte >= 0x80 would read as negative in two's complement.
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  const content = Buffer.from(hex, 'hex');
  if (content.length > 127) throw new RangeError('integer too large for short-form DER length');
  return Uint8Array.from([0x02, content.length, ...content]);
}

/** Node Buffer → forge binary string. */
export function toBinaryString(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('binary');
}

/** forge binary string → Node Buffer. */
export function fromBinaryString(binary: string): Buffer {
  return Buffer.from(binary, 'binary');
}
