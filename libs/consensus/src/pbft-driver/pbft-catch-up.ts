import { blockHash, encodeBlock, type Block } from '#chain';
import type { Ledger } from '#ledger';
import type { PbftReplica } from '../pbft/replica.js';
import type { EngineLogger } from '../raft-driver/raft-engine.js';
import { decodeCommitCertificate } from './commit-certificate-codec.js';

// Blocks that reach the ledger without passing through the replica (block sync, or a crash
// between applying a block and persisting the replica state) must still reach the core, so its
// committed height, checkpoints and vote window move on with the ledger.

/** After block sync committed `block` (its certificate checked): the core learns of it when it is next. */
export function deliverSyncedBlock(replica: PbftReplica, block: Block, certificate: Uint8Array | undefined, logger: EngineLogger): void {
  const height = Number(block.header.height);
  if (replica.lastCommittedHeight !== height - 1) return;
  const result = replica.deliverSyncedBlock({ height, digest: blockHash(block.header), block: encodeBlock(block), certificate: decodeCommitCertificate(certificate ?? new Uint8Array(0)) });
  if (!result.ok) logger.warn(`synced block ${height} refused by pbft: ${result.code}`);
}

/** Tells the core about blocks the ledger holds beyond the replica's persisted state. */
export async function replayLedgerInto(replica: PbftReplica, ledger: Ledger, logger: EngineLogger): Promise<void> {
  for (let height = replica.lastCommittedHeight + 1; BigInt(height) <= ledger.height; height++) {
    const stored = await ledger.getBlock(height);
    if (!stored?.certificate) break;
    const block = encodeBlock({ header: stored.header, txs: stored.txs });
    const result = replica.deliverSyncedBlock({ height, digest: blockHash(stored.header), block, certificate: decodeCommitCertificate(stored.certificate) });
    if (!result.ok) {
      logger.warn(`stored block ${height} refused by pbft: ${result.code}`);
      break;
    }
  }
}
