import type { BlockSummary } from './chaos-cluster.js';
import type { TxRecord } from './workload.js';

/** One validator's chain, blocks 1..H (every chain checked to the same H). */
export interface NodeChain {
  nodeId: string;
  blocks: readonly BlockSummary[];
}

/** What a chaos run did to the clients' transactions and to the ledgers. */
export interface CheckResult {
  acknowledged: number;
  indeterminate: number;
  /** Distinct client transactions in the chain (acknowledged or not). */
  committed: number;
  /** Indeterminate transactions that turned out committed. */
  indeterminateCommitted: number;
  /** `hash@node ×count`: a transaction in more than one place of a chain. */
  duplicates: string[];
  /** `hash@node`: an acknowledged transaction missing from a chain. */
  lost: string[];
  /** `hash@node`: an acknowledged transaction found elsewhere than where its receipt said. */
  moved: string[];
  /** Committed transactions no client ever sent. */
  unknown: string[];
  /** Heights where validators hold different blocks or state roots. */
  divergentHeights: number[];
  heightsCompared: number;
}

/** Whether the run broke nothing. */
export function isSound(result: CheckResult): boolean {
  return result.duplicates.length + result.lost.length + result.moved.length + result.unknown.length + result.divergentHeights.length === 0;
}

/**
 * Checks a client history against the validators' chains: every acknowledged transaction is
 * committed exactly once on every validator, where its receipt said; nothing is committed
 * twice or out of thin air; and all validators hold the same block and state root at every
 * height.
 */
export function checkHistory(history: Iterable<TxRecord>, chains: readonly NodeChain[]): CheckResult {
  const records = [...history];
  const byHash = new Map(records.map((r) => [r.hash, r]));
  const result: CheckResult = {
    acknowledged: records.filter((r) => r.outcome === 'acknowledged').length,
    indeterminate: records.filter((r) => r.outcome === 'indeterminate').length,
    committed: 0,
    indeterminateCommitted: 0,
    duplicates: [],
    lost: [],
    moved: [],
    unknown: [],
    divergentHeights: [],
    heightsCompared: Math.min(...chains.map((c) => c.blocks.length)),
  };
  for (let i = 0; i < result.heightsCompared; i++) {
    const versions = new Set(chains.map((c) => `${c.blocks[i].hash}/${c.blocks[i].stateRoot}`));
    if (versions.size > 1) result.divergentHeights.push(chains[0].blocks[i].height);
  }
  const unknown = new Set<string>();
  chains.forEach((chain, c) => {
    const positions = new Map<string, Array<{ height: number; index: number }>>();
    for (const block of chain.blocks) {
      block.txHashes.forEach((hash, index) => {
        const list = positions.get(hash) ?? [];
        list.push({ height: block.height, index });
        positions.set(hash, list);
        if (!byHash.has(hash)) unknown.add(hash);
      });
    }
    for (const [hash, list] of positions) if (list.length > 1) result.duplicates.push(`${hash}@${chain.nodeId} ×${list.length}`);
    for (const record of records) {
      const found = positions.get(record.hash);
      if (c === 0 && found) {
        result.committed++;
        if (record.outcome === 'indeterminate') result.indeterminateCommitted++;
      }
      if (record.outcome !== 'acknowledged' || !record.ack) continue;
      if (!found) result.lost.push(`${record.hash}@${chain.nodeId}`);
      else if (found[0].height !== record.ack.height || found[0].index !== record.ack.index) result.moved.push(`${record.hash}@${chain.nodeId}`);
    }
  });
  result.unknown = [...unknown];
  return result;
}
