import { bytesEqual, ChainErrorCode, isGovernanceType, TxType, type ChainRules, type StateReader, type Transaction } from '#chain';
import type { MempoolRejectionCode } from './codes.js';

/** Why a transaction is refused. */
export interface RuleViolation {
  code: MempoolRejectionCode;
  message: string;
}

function violation(code: MempoolRejectionCode, message: string): RuleViolation {
  return { code, message };
}

/**
 * The checks that depend only on the chain rules and the sender's membership, in the order the
 * state transition applies them (so a refusal here is the code the block would give): chain id,
 * size, sender standing, and the payload rules that need no balance or nonce. `sender.address`
 * is passed in because the pool caches it per sender (deriving it costs a hash per call).
 */
export function checkChainRules(
  tx: Transaction,
  sender: { keyHex: string; address: Uint8Array },
  rules: ChainRules,
  state: StateReader,
): RuleViolation | undefined {
  const senderKeyHex = sender.keyHex;
  const body = tx.body;
  if (body.chainId !== rules.chainId) return violation(ChainErrorCode.WRONG_CHAIN_ID, `transaction is for chain ${body.chainId}, not ${rules.chainId}`);
  if (tx.bytes.length > rules.maxTxBytes) return violation(ChainErrorCode.TX_TOO_LARGE, `transaction exceeds ${rules.maxTxBytes} bytes`);
  const payload = body.payload;
  if (isGovernanceType(payload.type)) {
    if (!rules.governanceKeys.has(senderKeyHex)) return violation(ChainErrorCode.NOT_GOVERNANCE, 'only a governance key may send governance transactions');
  } else {
    const standing = checkMembership(senderKeyHex, state);
    if (standing) return standing;
  }
  switch (payload.type) {
    case TxType.TRANSFER:
      if (payload.amount > rules.maxTransferAmount) {
        return violation(ChainErrorCode.AMOUNT_OVER_LIMIT, `amount exceeds the transfer limit of ${rules.maxTransferAmount}`);
      }
      if (bytesEqual(payload.to, sender.address)) return violation(ChainErrorCode.SELF_TRANSFER, 'a transfer to the sender itself is not allowed');
      return undefined;
    case TxType.RECORD:
      if (payload.value.length > rules.maxRecordValueBytes) {
        return violation(ChainErrorCode.PAYLOAD_TOO_LARGE, `record value exceeds ${rules.maxRecordValueBytes} bytes`);
      }
      if (state.record(payload.key)) return violation(ChainErrorCode.RECORD_EXISTS, `record ${payload.key} already exists`);
      return undefined;
    default:
      return undefined;
  }
}

/** Whether the sender may send non-governance transactions: an active member. */
export function checkMembership(senderKeyHex: string, state: StateReader): RuleViolation | undefined {
  const member = state.member(senderKeyHex);
  if (!member || member.status === 'removed') return violation(ChainErrorCode.NOT_A_MEMBER, 'sender is not a member of the consortium');
  if (member.status === 'suspended') return violation(ChainErrorCode.MEMBER_SUSPENDED, 'sender is suspended');
  return undefined;
}

/** The amount a transaction moves out of its sender's balance. */
export function spendOf(tx: Transaction): bigint {
  const payload = tx.body.payload;
  return payload.type === TxType.TRANSFER ? payload.amount : 0n;
}

/** The record key a transaction writes, if it is a record. */
export function recordKeyOf(tx: Transaction): string | undefined {
  const payload = tx.body.payload;
  return payload.type === TxType.RECORD ? payload.key : undefined;
}
