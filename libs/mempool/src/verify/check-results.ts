import { sha256, toHex } from '#chain';
import type { VerifyResult } from './types.js';

/** Lowercase hex SHA-256 of each input: what every verdict's `hashHex` must echo. */
export function inputHashes(txBytes: readonly Uint8Array[]): string[] {
  return txBytes.map((bytes) => toHex(sha256(bytes)));
}

function isVerdictFor(value: unknown, expectedHashHex: string): value is VerifyResult {
  if (typeof value !== 'object' || value === null) return false;
  const item = value as Record<string, unknown>;
  if (item.hashHex !== expectedHashHex) return false;
  if (item.ok === true) return true;
  return item.ok === false && typeof item.code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(item.code) && typeof item.message === 'string';
}

/**
 * Accepts a remote batch result only when it answers exactly the batch that was sent: an
 * array of the same length whose every verdict is well-formed and echoes its input's hash.
 * Returns clean copies of the verdicts, or undefined (never a partial result) otherwise.
 */
export function checkBatchResults(expectedHashes: readonly string[], results: unknown): VerifyResult[] | undefined {
  if (!Array.isArray(results) || results.length !== expectedHashes.length) return undefined;
  const checked: VerifyResult[] = [];
  for (let i = 0; i < results.length; i++) {
    const item: unknown = results[i];
    if (!isVerdictFor(item, expectedHashes[i])) return undefined;
    checked.push(item.ok ? { ok: true, hashHex: item.hashHex } : { ok: false, hashHex: item.hashHex, code: item.code, message: item.message });
  }
  return checked;
}
