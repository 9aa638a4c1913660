import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { canonicalGenesisJson, genesisHash, parseGenesis, toHex } from '#chain';
import { AccordError } from '#common';

/**
 * Where a joining validator gets its genesis when it is given only the admin URL: the admin's
 * frozen genesis (`GET /v1/consortium/genesis`), checked against the hash the admin states and
 * kept in the data directory, so later starts need no admin and never switch chains silently.
 */
export async function genesisFromAdmin(adminUrl: string, dataDir: string): Promise<string> {
  const path = join(dataDir, 'genesis.json');
  if (existsSync(path)) return path;
  let response: Response;
  try {
    response = await fetch(new URL('/v1/consortium/genesis', adminUrl), { signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new AccordError('GENESIS_UNAVAILABLE', `cannot reach the admin at ${adminUrl} for the genesis: ${(error as Error).message}`);
  }
  const body = await response.text();
  if (!response.ok) throw new AccordError('GENESIS_UNAVAILABLE', `the admin answered ${response.status} for the genesis: ${body.slice(0, 200)}`);
  const genesis = parseGenesis(JSON.parse(body) as unknown);
  const canonical = canonicalGenesisJson(genesis);
  const stated = response.headers.get('x-genesis-hash');
  if (canonical !== body || (stated !== null && stated !== toHex(genesisHash(genesis)))) {
    throw new AccordError('GENESIS_MISMATCH', 'the genesis the admin served does not match its stated hash');
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, canonical);
  return path;
}
