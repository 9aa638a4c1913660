import { blockHash, bytesEqual, decodeBlockHeader, fromHex, sha256, toHex, verifyMerkleProof } from '#chain';
import { decodeCommitCertificate, decodeLeaderSignature, verifyCommitCertificate, verifyLeaderSignature } from '#consensus';
import type { BlockResponse, TransactionResponse } from './client.js';

/**
 * What a block's commit proof (PBFT commit certificate, Raft leader signature) is checked
 * against: the chain id and the validator set with consensus public keys, as in genesis (a
 * `Genesis` fits). With `consensus.type` the proof must be of that kind; without, its encoding
 * tells.
 */
export interface CertificateTrust {
  chainId: string;
  validators: ReadonlyArray<{ nodeId: string; consensusPublicKey: string }>;
  consensus?: { type: string };
}

/** The verdict of an offline receipt check. */
export type ReceiptVerdict = { ok: true; height: number; blockHash: string } | { ok: false; reason: string };

function hex(value: string | undefined): Uint8Array | undefined {
  return value === undefined ? undefined : fromHex(value);
}

/**
 * Checks, without trusting the node, that a committed transaction is in the block it names:
 * the raw bytes hash to the transaction hash; the encoded header hashes to the block hash and
 * carries the txRoot and txCount the proof uses; the Merkle proof leads from the hash to that
 * txRoot. The block hash must then be trusted through consensus (a commit certificate, or the
 * same hash from enough validators).
 */
export function verifyReceipt(response: TransactionResponse, options: { certificate?: CertificateTrust } = {}): ReceiptVerdict {
  if (response.status !== 'committed') return { ok: false, reason: `transaction is ${response.status}` };
  const raw = hex(response.raw);
  const txHash = hex(response.hash);
  const headerBytes = hex(response.block?.headerBytes);
  const proof = response.proof;
  if (!raw || !txHash || !headerBytes || !proof || !response.block) return { ok: false, reason: 'response lacks raw bytes, header or proof' };
  if (!bytesEqual(sha256(raw), txHash)) return { ok: false, reason: 'raw bytes do not hash to the transaction hash' };
  let header;
  try {
    header = decodeBlockHeader(headerBytes);
  } catch {
    return { ok: false, reason: 'header bytes do not decode' };
  }
  const computedBlockHash = toHex(blockHash(header));
  if (computedBlockHash !== response.block.hash) return { ok: false, reason: 'header does not hash to the block hash' };
  if (Number(header.height) !== response.height) return { ok: false, reason: 'header height differs from the receipt height' };
  if (proof.leafCount !== header.txCount || proof.leafIndex !== response.index) return { ok: false, reason: 'proof position does not match the header' };
  const path = proof.path.map((p) => fromHex(p));
  if (path.some((p) => !p)) return { ok: false, reason: 'proof path is not hex' };
  if (!verifyMerkleProof(txHash, { leafIndex: proof.leafIndex, leafCount: proof.leafCount, path: path as Uint8Array[] }, header.txRoot)) {
    return { ok: false, reason: 'Merkle proof does not lead to the header txRoot' };
  }
  if (options.certificate) {
    const certified = verifyBlockCertificate(response.block, options.certificate);
    if (!certified.ok) return certified;
  }
  return { ok: true, height: Number(header.height), blockHash: computedBlockHash };
}

/**
 * Checks offline that a block served by a validator was committed: its header hashes to its
 * hash, and its certificate is either a PBFT commit certificate holding 2f+1 valid COMMIT
 * signatures of `trust`'s validators for that hash at that height, or a Raft leader signature
 * over the hash (domain-separated by chain id) by the validator that proposed the block. The
 * receipt checks then make this trust reach a transaction: with
 * `verifyReceipt(response, { certificate: genesis })` nothing the node said is taken on faith
 * (beyond, for Raft, the leader's word: Raft tolerates crashes, not lies).
 */
export function verifyBlockCertificate(block: BlockResponse, trust: CertificateTrust): ReceiptVerdict {
  if (!block.certificate) return { ok: false, reason: 'block has no commit certificate' };
  const headerBytes = hex(block.headerBytes);
  const certificateBytes = hex(block.certificate);
  if (!headerBytes || !certificateBytes) return { ok: false, reason: 'header or certificate is not hex' };
  let header;
  try {
    header = decodeBlockHeader(headerBytes);
  } catch {
    return { ok: false, reason: 'header bytes do not decode' };
  }
  const digest = blockHash(header);
  if (toHex(digest) !== block.hash) return { ok: false, reason: 'header does not hash to the block hash' };
  const validators = trust.validators.map((v) => ({ id: v.nodeId, consensusPublicKey: fromHex(v.consensusPublicKey) ?? new Uint8Array(0) }));
  const kind = trust.consensus?.type ?? (isLeaderSignature(certificateBytes) ? 'raft' : 'pbft');
  if (kind === 'raft') {
    let signature;
    try {
      signature = decodeLeaderSignature(certificateBytes);
    } catch {
      return { ok: false, reason: 'leader signature does not decode' };
    }
    const verdict = verifyLeaderSignature(trust.chainId, header, signature, validators.map((v) => ({ nodeId: v.id, consensusPublicKey: v.consensusPublicKey })));
    if (!verdict.ok) return { ok: false, reason: `leader signature is invalid: ${verdict.code}` };
    return { ok: true, height: Number(header.height), blockHash: toHex(digest) };
  }
  let certificate;
  try {
    certificate = decodeCommitCertificate(certificateBytes);
  } catch {
    return { ok: false, reason: 'certificate does not decode' };
  }
  const verdict = verifyCommitCertificate({ chainId: trust.chainId, height: Number(header.height), blockDigest: digest, certificate, validators });
  if (!verdict.ok) return { ok: false, reason: `commit certificate is invalid: ${verdict.code}` };
  return { ok: true, height: Number(header.height), blockHash: toHex(digest) };
}

function isLeaderSignature(bytes: Uint8Array): boolean {
  try {
    decodeLeaderSignature(bytes);
    return true;
  } catch {
    return false;
  }
}
