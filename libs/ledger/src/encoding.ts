/** base64 text of bytes (binary columns are stored as text so one schema serves SQLite and Postgres). */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Bytes of base64 text. */
export function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** Splits `items` into chunks of at most `size` (bulk inserts stay under SQL parameter limits). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Hex digits of a transaction hash that make its lookup key (48 bits: a safe JavaScript integer). */
export const TX_HASH_KEY_HEX_DIGITS = 12;

/**
 * The lookup key of a transaction hash (`ledger_transactions.hash_key`): its first 48 bits.
 * Text that is not a hash gets -1, which no stored key equals.
 */
export function txHashKey(hashHex: string): number {
  const prefix = hashHex.slice(0, TX_HASH_KEY_HEX_DIGITS);
  return prefix.length === TX_HASH_KEY_HEX_DIGITS && /^[0-9a-f]+$/.test(prefix) ? Number.parseInt(prefix, 16) : -1;
}
