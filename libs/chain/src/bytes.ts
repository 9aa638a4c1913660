/** Byte helpers shared by the chain domain. All functions are pure. */

const HEX_PATTERN = /^(?:[0-9a-f]{2})*$/;

/** Lowercase hex of `bytes`, without a prefix. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/**
 * Parses lowercase or uppercase hex (an optional `0x` prefix is accepted). Returns undefined for
 * anything that is not whole bytes of hex, so callers decide which error code to raise.
 */
export function fromHex(hex: string): Uint8Array | undefined {
  const body = (hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex).toLowerCase();
  if (!HEX_PATTERN.test(body)) return undefined;
  return new Uint8Array(Buffer.from(body, 'hex'));
}

/** Byte-wise equality. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Lexicographic comparison, for deterministic ordering. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

/** Concatenates byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const textEncoder = new TextEncoder();
const strictTextDecoder = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 bytes of a string. */
export function utf8(value: string): Uint8Array {
  return textEncoder.encode(value);
}

/** Decodes UTF-8, returning undefined on invalid sequences. */
export function fromUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictTextDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}
