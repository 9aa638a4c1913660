import { ChainErrorCode, toHex, TxType, type StateReader, type Transaction } from '#chain';
import { checkMembership } from './admission-rules.js';
import type { MempoolRejectionCode } from './codes.js';
import type { PoolStore } from './pool-store.js';
import type { SenderQueue } from './sender-queue.js';
import type { PoolEntry } from './types.js';

/** A pooled entry re-validation removed, and why. */
export interface Drop {
  entry: PoolEntry;
  code: MempoolRejectionCode;
}

const EMPTY_ACCOUNT = { balance: 0n, nonce: 0n } as const;

/**
 * Re-reads a sender's account and standing from `state` and removes what can no longer
 * commit: everything but governance types if the sender is no longer an active member, nonces
 * below the account's next nonce, and transfers the balance no longer covers (walking in nonce
 * order). Then recomputes which are ready. O(1) when nothing relevant changed, unless `stale`
 * (its queue lost a transaction out of order and readiness must be recomputed regardless).
 */
export function refreshSender(store: PoolStore, state: StateReader, sender: SenderQueue, stale: boolean): Drop[] {
  const account = state.account(sender.addressHex) ?? EMPTY_ACCOUNT;
  const standing = sender.memberTxCount > 0 ? checkMembership(sender.keyHex, state) : undefined;
  if (!stale && !standing && account.nonce === sender.baseNonce && account.balance >= sender.pendingSpend) {
    sender.balance = account.balance;
    return [];
  }
  const drops: Drop[] = [];
  const drop = (entry: PoolEntry, code: MempoolRejectionCode) => {
    store.unlink(sender, entry);
    drops.push({ entry, code });
  };
  store.withSender(sender, () => {
    sender.baseNonce = account.nonce;
    sender.balance = account.balance;
    if (standing) {
      for (const entry of sender.entries.filter((e) => !e.governance)) drop(entry, standing.code);
    }
    for (const entry of sender.replayed()) drop(entry, ChainErrorCode.NONCE_REPLAY);
    for (const entry of sender.unaffordable()) drop(entry, ChainErrorCode.INSUFFICIENT_BALANCE);
    sender.recomputeReady();
  });
  return drops;
}

/** Removes pooled records whose key (among `keys`) now exists in `state`. */
export function dropWrittenRecords(store: PoolStore, state: StateReader, keys: Iterable<string>): Drop[] {
  const drops: Drop[] = [];
  for (const key of keys) {
    const entry = store.pendingRecords.get(key);
    if (!entry || !state.record(key)) continue;
    store.delete(entry);
    drops.push({ entry, code: ChainErrorCode.RECORD_EXISTS });
  }
  return drops;
}

/**
 * What a block's transactions can have changed for the pool that could make pooled
 * transactions invalid (a block changes state only through them): the pooled senders that sent
 * them or were suspended or removed by them, and the record keys they wrote. Transactions
 * in `pooled` came from this pool, so their senders are already known to the caller.
 */
export function touchedBy(store: PoolStore, txs: Iterable<Transaction>, pooled: ReadonlySet<Transaction>): { senders: Set<SenderQueue>; recordKeys: string[] } {
  const senders = new Set<SenderQueue>();
  const recordKeys: string[] = [];
  const touch = (sender: SenderQueue | undefined) => {
    if (sender) senders.add(sender);
  };
  for (const tx of txs) {
    if (!pooled.has(tx)) touch(store.senders.get(toHex(tx.body.sender)));
    const payload = tx.body.payload;
    if (payload.type === TxType.RECORD) recordKeys.push(payload.key);
    // Suspension and removal end a sender's standing; addition and reinstatement invalidate nothing.
    else if (payload.type === TxType.MEMBER_SUSPEND || payload.type === TxType.MEMBER_REMOVE) touch(store.senders.get(toHex(payload.publicKey)));
  }
  return { senders, recordKeys };
}
