import { parseGenesis, publicKeyOf, sha256, toHex, utf8, type Genesis } from '#chain';

/** The value of `--name <value>` on the command line, or `fallback`. */
export function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

/** Deterministic funded senders and a solo genesis for the in-process benchmarks (chain id `bench`). */
export function benchChain(senders: number, maxTxsPerBlock: number): { keys: Uint8Array[]; publics: Uint8Array[]; genesis: Genesis } {
  const keys = Array.from({ length: senders }, (_, i) => sha256(utf8(`bench sender ${i}`)));
  const publics = keys.map((k) => publicKeyOf(k));
  const genesis = parseGenesis({
    chainId: 'bench',
    genesisTime: '2026-01-01T00:00:00.000Z',
    consensus: { type: 'solo', blockIntervalMs: 100, maxTxsPerBlock, electionTimeoutMs: 1000, heartbeatIntervalMs: 100 },
    powDifficultyBits: 0,
    governanceKeys: [toHex(publics[0])],
    limits: { maxTxBytes: 8192, maxRecordValueBytes: 4096, maxTransferAmount: '1000000000000' },
    members: publics.map((p) => ({ publicKey: toHex(p), role: 'client', organization: 'Bench', balance: '1000000000000' })),
    validators: [],
  });
  return { keys, publics, genesis };
}
