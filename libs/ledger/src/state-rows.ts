import { fromHex, type Account, type Member, type MemberStatus, type MemberRole, type NetworkNode, type NodeStatus, type RecordEntry, type StateChanges, toHex } from '#chain';
import { fromBase64, toBase64 } from './encoding.js';
import { AccountEntity, MemberEntity, NodeEntity, RecordEntity } from './entities/index.js';

/** SQL rows for a block's state changes. */
export interface StateRows {
  accounts: AccountEntity[];
  emptiedAccounts: string[];
  members: MemberEntity[];
  records: RecordEntity[];
  nodes: NodeEntity[];
}

/**
 * Folds consecutive diffs into their net change. A run of blocks committed together writes each
 * entry once, with its final value: a busy account changed by every block of the run is one row.
 */
export function netChanges(diffs: readonly StateChanges[]): StateChanges {
  if (diffs.length === 1) return diffs[0];
  const fold = <V>(pick: (diff: StateChanges) => ReadonlyMap<string, V>): Map<string, V> => {
    const net = new Map<string, V>();
    for (const diff of diffs) for (const [key, value] of pick(diff)) net.set(key, value);
    return net;
  };
  return { accounts: fold((d) => d.accounts), members: fold((d) => d.members), records: fold((d) => d.records), nodes: fold((d) => d.nodes) };
}

/** Converts state changes to rows for bulk upsert. */
export function rowsOfDiff(diff: StateChanges): StateRows {
  const accounts: AccountEntity[] = [];
  const emptiedAccounts: string[] = [];
  for (const [address, account] of diff.accounts) {
    if (account.balance === 0n && account.nonce === 0n) emptiedAccounts.push(address);
    else accounts.push({ address, balance: account.balance.toString(), nonce: account.nonce.toString() });
  }
  const members = [...diff.members].map(([publicKey, m]) => ({ publicKey, role: m.role, organization: m.organization, status: m.status }));
  const records = [...diff.records].map(([key, r]) => ({ key, value: toBase64(r.value), owner: toHex(r.owner), height: Number(r.height), txHash: toHex(r.txHash) }));
  return { accounts, emptiedAccounts, members, records, nodes: nodeRowsOf(diff.nodes) };
}

/** Node entries as rows. */
export function nodeRowsOf(nodes: Iterable<[string, NetworkNode]>): NodeEntity[] {
  return [...nodes].map(([nodeId, n]) => ({
    nodeId,
    organization: n.organization,
    consensusPublicKey: toHex(n.consensusPublicKey),
    spkiSha256: n.spkiSha256,
    p2pAddress: n.p2pAddress,
    apiUrl: n.apiUrl,
    status: n.status,
    sinceHeight: Number(n.sinceHeight),
  }));
}

export function nodeOfRow(row: NodeEntity): [string, NetworkNode] {
  return [
    row.nodeId,
    {
      organization: row.organization,
      consensusPublicKey: fromHex(row.consensusPublicKey) as Uint8Array,
      spkiSha256: row.spkiSha256,
      p2pAddress: row.p2pAddress,
      apiUrl: row.apiUrl,
      status: row.status as NodeStatus,
      sinceHeight: BigInt(row.sinceHeight),
    },
  ];
}

/** Rows back to state entries, for loading the world state at start-up. */
export function accountOfRow(row: AccountEntity): [string, Account] {
  return [row.address, { balance: BigInt(row.balance), nonce: BigInt(row.nonce) }];
}

export function memberOfRow(row: MemberEntity): [string, Member] {
  return [row.publicKey, { role: row.role as MemberRole, organization: row.organization, status: row.status as MemberStatus }];
}

export function recordOfRow(row: RecordEntity): [string, RecordEntry] {
  return [row.key, { value: fromBase64(row.value), owner: fromHex(row.owner) as Uint8Array, height: BigInt(row.height), txHash: fromHex(row.txHash) as Uint8Array }];
}
