import {
  blockHash,
  encodeBlockHeader,
  formatAddress,
  MEMBER_ROLE_NAMES,
  NODE_ROLE_NAMES,
  toHex,
  TxType,
  type BlockHeader,
  type Member,
  type Transaction,
} from '#chain';
import type { StoredBlock } from '#ledger';
import type { BlockHeaderView, BlockView, MemberView } from './dto/views.dto.js';

const TYPE_NAMES: Readonly<Record<number, string>> = {
  [TxType.TRANSFER]: 'transfer',
  [TxType.RECORD]: 'record',
  [TxType.MEMBER_ADD]: 'member_add',
  [TxType.MEMBER_SUSPEND]: 'member_suspend',
  [TxType.MEMBER_REMOVE]: 'member_remove',
  [TxType.MEMBER_REINSTATE]: 'member_reinstate',
  [TxType.NODE_ADD]: 'node_add',
  [TxType.NODE_PROMOTE]: 'node_promote',
  [TxType.NODE_REMOVE]: 'node_remove',
};

/** JSON view of a transaction: integers as decimal strings, bytes as hex. */
export function transactionJson(tx: Transaction): Record<string, unknown> {
  const { body } = tx;
  const payload = body.payload;
  let details: Record<string, unknown>;
  switch (payload.type) {
    case TxType.TRANSFER:
      details = { to: formatAddress(payload.to), amount: payload.amount.toString() };
      break;
    case TxType.RECORD:
      details = { key: payload.key, valueHex: toHex(payload.value) };
      break;
    case TxType.MEMBER_ADD:
      details = { publicKey: toHex(payload.publicKey), role: MEMBER_ROLE_NAMES[payload.role], organization: payload.organization };
      break;
    case TxType.NODE_ADD:
      details = {
        nodeId: payload.nodeId,
        organization: payload.organization,
        consensusPublicKey: toHex(payload.consensusPublicKey),
        spkiSha256: toHex(payload.spkiSha256),
        p2pAddress: payload.p2pAddress,
        apiUrl: payload.apiUrl,
        role: NODE_ROLE_NAMES[payload.role],
      };
      break;
    case TxType.NODE_PROMOTE:
    case TxType.NODE_REMOVE:
      details = { nodeId: payload.nodeId };
      break;
    default:
      details = { publicKey: toHex(payload.publicKey) };
  }
  return {
    chainId: body.chainId,
    type: TYPE_NAMES[payload.type],
    sender: toHex(body.sender),
    senderAddress: formatAddress(tx.senderAddress),
    nonce: body.nonce.toString(),
    payload: details,
    signature: toHex(tx.signature),
  };
}

/** JSON view of a header. */
export function headerJson(header: BlockHeader): BlockHeaderView {
  return {
    chainId: header.chainId,
    height: Number(header.height),
    prevHash: toHex(header.prevHash),
    timestampMs: header.timestampMs.toString(),
    txRoot: toHex(header.txRoot),
    stateRoot: toHex(header.stateRoot),
    proposer: header.proposer,
    consensusData: toHex(header.consensusData),
    txCount: header.txCount,
    powDifficultyBits: header.powDifficultyBits,
    powNonce: header.powNonce.toString(),
  };
}

/** JSON view of a stored block. */
export function blockJson(block: StoredBlock | { header: BlockHeader; txHashes: string[]; certificate?: Uint8Array }): BlockView {
  const txHashes = 'txs' in block ? block.txs.map((tx) => tx.hashHex) : block.txHashes;
  return {
    height: Number(block.header.height),
    hash: toHex(blockHash(block.header)),
    header: headerJson(block.header),
    headerBytes: toHex(encodeBlockHeader(block.header)),
    txHashes,
    certificate: block.certificate ? toHex(block.certificate) : undefined,
  };
}

/** JSON view of a member. */
export function memberJson(publicKeyHex: string, member: Member): MemberView {
  return { publicKey: publicKeyHex, role: MEMBER_ROLE_NAMES[member.role], organization: member.organization, status: member.status };
}
