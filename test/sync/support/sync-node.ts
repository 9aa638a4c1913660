import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EntryChanges, Genesis, Transaction } from '#chain';
import { BlockPipeline, commitProofCheck, SyncManager, validatorsOfGenesis, type ConsensusTransport, type SyncEvent, type SyncTuning } from '#consensus';
import { Ledger } from '#ledger';
import { Mempool } from '#mempool';

/** A ledger, its pipeline and a SyncManager over some transport: a validator minus consensus. */
export interface SyncNode {
  nodeId: string;
  ledger: Ledger;
  pipeline: BlockPipeline;
  sync: SyncManager;
  events: SyncEvent[];
  logs: string[];
  close(): Promise<void>;
}

/**
 * Opens `<dir>/<nodeId>.sqlite` (a copy of `fromSqlite` when given, else a fresh genesis ledger)
 * and starts block sync on `transport` with the commit proofs of the genesis consensus type.
 */
export async function openSyncNode(options: {
  nodeId: string;
  genesis: Genesis;
  transport: ConsensusTransport;
  dir: string;
  fromSqlite?: string;
  /** synchronous=FULL, as a validator runs its ledger (tests default to NORMAL). */
  durable?: boolean;
  tuning?: Partial<SyncTuning>;
  verifySignatures?: (txs: readonly Transaction[]) => Promise<boolean[]>;
  stateDeltas?: (blocks: EntryChanges[]) => Promise<Uint16Array[]>;
}): Promise<SyncNode> {
  const { nodeId, genesis } = options;
  const path = join(options.dir, `${nodeId}.sqlite`);
  if (options.fromSqlite) copyFileSync(options.fromSqlite, path);
  const ledger = await Ledger.open({ database: { kind: 'sqlite', path, synchronousFull: options.durable === true }, genesis });
  const pipeline = new BlockPipeline(ledger, new Mempool({}, ledger.state, ledger.rules), { nodeId, maxTxsPerBlock: 2000, powDifficultyBits: 0, clockMs: () => Date.now() });
  const validators = validatorsOfGenesis(genesis);
  const logs: string[] = [];
  const sync = new SyncManager(pipeline, options.transport, {
    chainId: genesis.chainId,
    logger: { info: (m) => logs.push(m), warn: (m) => logs.push(m) },
    checkProof: commitProofCheck(genesis.consensus.type, genesis.chainId, () => validators),
    isAllowedPeer: (peerId) => peerId !== nodeId,
    verifySignatures: options.verifySignatures,
    stateDeltas: options.stateDeltas,
    tuning: options.tuning,
  });
  const events: SyncEvent[] = [];
  sync.onEvent((event) => events.push(event));
  sync.start();
  return {
    nodeId,
    ledger,
    pipeline,
    sync,
    events,
    logs,
    close: async () => {
      await sync.stop();
      await ledger.close();
    },
  };
}
