import { parseGenesis, sha256, toHex, utf8, type Genesis } from '#chain';
import { CHAIN_ID, testAccount } from '../../support/chain-fixtures.js';
import { consensusKeyOf } from './sync-chain.js';

/**
 * A Raft or PBFT genesis for in-memory sync tests: validators `validator-1..n` with the
 * consensus keys createClusterFiles uses, and funded members `member-0..`. No TLS: the
 * addresses and certificate pins are placeholders nobody dials.
 */
export function syncGenesis(options: { validators: number; consensus: 'raft' | 'pbft'; members: number }): Genesis {
  const validators = Array.from({ length: options.validators }, (_, i) => `validator-${i + 1}`).map((nodeId, i) => ({
    nodeId,
    organization: 'Org1',
    consensusPublicKey: consensusKeyOf(nodeId).publicKeyHex,
    spkiSha256: toHex(sha256(utf8(`spki ${nodeId}`))),
    p2pAddress: `127.0.0.1:${20_000 + i}`,
    apiUrl: 'http://127.0.0.1:0',
  }));
  const members = Array.from({ length: options.members }, (_, i) => testAccount(`member-${i}`));
  return parseGenesis({
    chainId: CHAIN_ID,
    genesisTime: '2026-01-01T00:00:00.000Z',
    consensus: { type: options.consensus, blockIntervalMs: 50, maxTxsPerBlock: 2000, electionTimeoutMs: 500, heartbeatIntervalMs: 50 },
    powDifficultyBits: 0,
    governanceKeys: [testAccount('governance').publicKeyHex],
    limits: { maxTxBytes: 8192, maxRecordValueBytes: 4096, maxTransferAmount: '1000000000000' },
    members: members.map((m) => ({ publicKey: m.publicKeyHex, role: 'client', organization: 'Org1', balance: '1000000000' })),
    validators,
  });
}
