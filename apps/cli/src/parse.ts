import { readFileSync } from 'node:fs';
import { MAX_UINT64 } from '#chain';
import { AccordError } from '#common';
import { keyPairFromHex, type KeyPair } from '#sdk';

/** Parses an amount: a decimal unsigned 64-bit integer; never a float, never negative. */
export function parseAmount(text: string): bigint {
  if (!/^(0|[1-9][0-9]*)$/.test(text)) throw new AccordError('AMOUNT_INVALID', `amount must be a whole non-negative number, got "${text}"`);
  const amount = BigInt(text);
  if (amount > MAX_UINT64) throw new AccordError('AMOUNT_INVALID', `amount exceeds 2^64-1: ${text}`);
  return amount;
}

/** Reads a key file written by `accord keys new` (JSON with privateKey hex). */
export function readKeyFile(path: string): KeyPair {
  const json = JSON.parse(readFileSync(path, 'utf8')) as { privateKey?: unknown };
  if (typeof json.privateKey !== 'string') throw new AccordError('BAD_KEY_FILE', `${path} has no privateKey`);
  return keyPairFromHex(json.privateKey);
}

/** Parses a port number. */
export function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new AccordError('CONFIG_INVALID', `invalid port ${text}`);
  return port;
}
