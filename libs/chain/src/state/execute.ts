import { toHex } from '../bytes.js';
import { isValidPublicKey } from '../crypto/keys.js';
import { ChainErrorCode } from '../errors.js';
import type { Transaction, TxLimits } from '../tx/transaction.js';
import { isGovernanceType, isNodeSetChange, MAX_UINT64, NodeRole, TxType, type MemberChangePayload, type NodeAddPayload, type NodeChangePayload } from '../tx/types.js';
import type { Account, MemberStatus, NetworkNode } from './entries.js';
import type { StateOverlay } from './world-state.js';

/** Chain-wide rules from the genesis. */
export interface ChainRules extends TxLimits {
  chainId: string;
  /** Largest amount a single transfer may move. */
  maxTransferAmount: bigint;
  /** Lowercase hex of the public keys allowed to send governance transactions. */
  governanceKeys: ReadonlySet<string>;
}

/** Per-block execution context. */
export interface ExecutionContext {
  rules: ChainRules;
  height: bigint;
  /**
   * Whether this transaction's signature was already verified by this node (at admission).
   * Signatures not known to be verified are verified here, so a block from elsewhere is never
   * trusted blindly.
   */
  isVerified?: (tx: Transaction) => boolean;
}

const EMPTY_ACCOUNT: Account = { balance: 0n, nonce: 0n };

function checkSender(state: StateOverlay, tx: Transaction, rules: ChainRules): ChainErrorCode | undefined {
  const senderHex = toHex(tx.body.sender);
  if (isGovernanceType(tx.body.payload.type)) {
    return rules.governanceKeys.has(senderHex) ? undefined : ChainErrorCode.NOT_GOVERNANCE;
  }
  const member = state.member(senderHex);
  if (!member || member.status === 'removed') return ChainErrorCode.NOT_A_MEMBER;
  if (member.status === 'suspended') return ChainErrorCode.MEMBER_SUSPENDED;
  return undefined;
}

const NEXT_STATUS: Readonly<Record<MemberChangePayload['type'], { from: readonly MemberStatus[]; to: MemberStatus }>> = {
  [TxType.MEMBER_SUSPEND]: { from: ['active'], to: 'suspended' },
  [TxType.MEMBER_REMOVE]: { from: ['active', 'suspended'], to: 'removed' },
  [TxType.MEMBER_REINSTATE]: { from: ['suspended'], to: 'active' },
};

/**
 * Executes one transaction on `state`. Returns the rejection code, or undefined on success.
 * All checks happen before any write, so a rejected transaction leaves `state` untouched.
 * Deterministic: depends only on the state, the transaction and the context.
 */
export function executeTransaction(state: StateOverlay, tx: Transaction, context: ExecutionContext): ChainErrorCode | undefined {
  const { rules } = context;
  const body = tx.body;
  if (body.chainId !== rules.chainId) return ChainErrorCode.WRONG_CHAIN_ID;
  if (tx.bytes.length > rules.maxTxBytes) return ChainErrorCode.TX_TOO_LARGE;
  const senderCheck = checkSender(state, tx, rules);
  if (senderCheck) return senderCheck;
  const senderAddressHex = toHex(tx.senderAddress);
  const sender = state.account(senderAddressHex) ?? EMPTY_ACCOUNT;
  if (body.nonce < sender.nonce) return ChainErrorCode.NONCE_REPLAY;
  if (body.nonce > sender.nonce) return ChainErrorCode.NONCE_GAP;
  // Signature last among the cheap checks: it is the expensive one.
  if (!(context.isVerified?.(tx) ?? false) && !tx.verifySignature()) return ChainErrorCode.BAD_SIGNATURE;

  const payload = body.payload;
  const nextNonce = sender.nonce + 1n;
  if (isNodeSetChange(payload.type)) {
    // Single-server membership changes are safe only one at a time: each takes effect when its
    // block commits, before the next block (and so the next change) is proposed.
    if (state.hasNodeChange()) return ChainErrorCode.ONE_NODE_CHANGE_PER_BLOCK;
    const code = changeNodeSet(state, payload as NodeAddPayload | NodeChangePayload, context.height);
    if (code) return code;
    state.setAccount(senderAddressHex, { balance: sender.balance, nonce: nextNonce });
    return undefined;
  }
  switch (payload.type) {
    case TxType.TRANSFER: {
      if (payload.amount > rules.maxTransferAmount) return ChainErrorCode.AMOUNT_OVER_LIMIT;
      const toHexAddress = toHex(payload.to);
      if (toHexAddress === senderAddressHex) return ChainErrorCode.SELF_TRANSFER;
      if (sender.balance < payload.amount) return ChainErrorCode.INSUFFICIENT_BALANCE;
      const recipient = state.account(toHexAddress) ?? EMPTY_ACCOUNT;
      if (recipient.balance + payload.amount > MAX_UINT64) return ChainErrorCode.BALANCE_OVERFLOW;
      state.setAccount(senderAddressHex, { balance: sender.balance - payload.amount, nonce: nextNonce });
      state.setAccount(toHexAddress, { balance: recipient.balance + payload.amount, nonce: recipient.nonce });
      return undefined;
    }
    case TxType.RECORD: {
      if (payload.value.length > rules.maxRecordValueBytes) return ChainErrorCode.PAYLOAD_TOO_LARGE;
      if (state.record(payload.key)) return ChainErrorCode.RECORD_EXISTS;
      state.setRecord(payload.key, { value: payload.value, owner: tx.senderAddress, height: context.height, txHash: tx.hash });
      state.setAccount(senderAddressHex, { balance: sender.balance, nonce: nextNonce });
      return undefined;
    }
    case TxType.MEMBER_ADD: {
      if (!isValidPublicKey(payload.publicKey)) return ChainErrorCode.BAD_PUBLIC_KEY;
      const memberHex = toHex(payload.publicKey);
      const existing = state.member(memberHex);
      if (existing) return existing.status === 'removed' ? ChainErrorCode.MEMBER_REMOVED : ChainErrorCode.MEMBER_EXISTS;
      state.setMember(memberHex, { role: payload.role, organization: payload.organization, status: 'active' });
      state.setAccount(senderAddressHex, { balance: sender.balance, nonce: nextNonce });
      return undefined;
    }
    case TxType.MEMBER_SUSPEND:
    case TxType.MEMBER_REMOVE:
    case TxType.MEMBER_REINSTATE: {
      const memberHex = toHex(payload.publicKey);
      const existing = state.member(memberHex);
      if (!existing) return ChainErrorCode.MEMBER_UNKNOWN;
      const transition = NEXT_STATUS[payload.type];
      if (!transition.from.includes(existing.status)) {
        return existing.status === 'removed' ? ChainErrorCode.MEMBER_REMOVED : ChainErrorCode.BAD_MEMBER_STATUS;
      }
      state.setMember(memberHex, { ...existing, status: transition.to });
      state.setAccount(senderAddressHex, { balance: sender.balance, nonce: nextNonce });
      return undefined;
    }
  }
}

function countVoters(state: StateOverlay): number {
  let voters = 0;
  for (const id of state.nodeIds()) if (state.node(id)?.status === 'voter') voters++;
  return voters;
}

/** Applies a node-set change to `state`, or returns why it cannot apply. */
function changeNodeSet(state: StateOverlay, payload: NodeAddPayload | NodeChangePayload, height: bigint): ChainErrorCode | undefined {
  const existing = state.node(payload.nodeId);
  if (payload.type === TxType.NODE_ADD) {
    if (existing) return existing.status === 'removed' ? ChainErrorCode.NODE_REMOVED : ChainErrorCode.NODE_EXISTS;
    if (!isValidPublicKey(payload.consensusPublicKey)) return ChainErrorCode.BAD_PUBLIC_KEY;
    const spkiSha256 = toHex(payload.spkiSha256);
    for (const id of state.nodeIds()) {
      const other = state.node(id) as NetworkNode;
      // Two live nodes with one TLS identity or one listener could impersonate each other.
      if (other.status !== 'removed' && (other.spkiSha256 === spkiSha256 || other.p2pAddress === payload.p2pAddress)) return ChainErrorCode.NODE_EXISTS;
    }
    state.setNode(payload.nodeId, {
      organization: payload.organization,
      consensusPublicKey: payload.consensusPublicKey,
      spkiSha256,
      p2pAddress: payload.p2pAddress,
      apiUrl: payload.apiUrl,
      status: payload.role === NodeRole.LEARNER ? 'learner' : 'observer',
      sinceHeight: height,
    });
    return undefined;
  }
  if (!existing) return ChainErrorCode.NODE_UNKNOWN;
  if (existing.status === 'removed') return ChainErrorCode.NODE_REMOVED;
  if (payload.type === TxType.NODE_PROMOTE) {
    if (existing.status !== 'learner') return ChainErrorCode.NODE_NOT_LEARNER;
    state.setNode(payload.nodeId, { ...existing, status: 'voter', sinceHeight: height });
    return undefined;
  }
  if (existing.status === 'voter' && countVoters(state) === 1) return ChainErrorCode.LAST_VOTER;
  state.setNode(payload.nodeId, { ...existing, status: 'removed', sinceHeight: height });
  return undefined;
}
