import { merkleRoot } from '../merkle.js';
import type { Transaction } from '../tx/transaction.js';

const computedRoots = new WeakMap<readonly Transaction[], { members: readonly Transaction[]; root: Uint8Array }>();

function sameMembers(a: readonly Transaction[], b: readonly Transaction[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The Merkle root of a block's transactions (their hashes as leaves). Computed once per list: a
 * block fetched by sync is checked when it arrives and again when it is executed. Transactions
 * are immutable, and the list is compared member by member before a stored root is reused, so a
 * list changed in between is hashed again.
 */
export function txRootOf(txs: readonly Transaction[]): Uint8Array {
  const known = computedRoots.get(txs);
  if (known && sameMembers(known.members, txs)) return known.root;
  const root = merkleRoot(txs.map((tx) => tx.hash));
  computedRoots.set(txs, { members: [...txs], root });
  return root;
}
