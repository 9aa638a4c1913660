import { describe, expect, it } from 'vitest';
import { blockHash, encodeBlockHeader, merkleProof, merkleRoot, toHex, type BlockHeader } from '#chain';
import { encodeCommitCertificate, encodeLeaderSignature, NativeSecp256k1Authenticator, signBlockAsLeader, signPbftMessage, type CommitMessage } from '#consensus';
import { CHAIN_ID, testAccount, transfer } from '../../../test/support/chain-fixtures.js';
import type { BlockResponse, TransactionResponse } from './client.js';
import { verifyBlockCertificate, verifyReceipt } from './receipt.js';

const keys = [1, 2, 3, 4].map((i) => testAccount(`consensus-validator-${i}`));
const trust = { chainId: CHAIN_ID, validators: keys.map((k, i) => ({ nodeId: `validator-${i + 1}`, consensusPublicKey: k.publicKeyHex })) };
const signers = keys.map((k) => new NativeSecp256k1Authenticator(k.privateKey, trust.validators));
const txs = [0, 1, 2].map((i) => transfer(testAccount('member-0'), testAccount('member-1'), 1n, BigInt(i)));
const header: BlockHeader = {
  chainId: CHAIN_ID,
  height: 7n,
  prevHash: new Uint8Array(32).fill(1),
  timestampMs: 1_700_000_000_000n,
  txRoot: merkleRoot(txs.map((tx) => tx.hash)),
  stateRoot: new Uint8Array(32).fill(2),
  proposer: 'validator-2',
  consensusData: new Uint8Array(0),
  txCount: txs.length,
  powDifficultyBits: 0,
  powNonce: 0n,
};
const digest = blockHash(header);

function commit(signer: number, fields: Partial<CommitMessage> = {}): CommitMessage {
  return signPbftMessage<CommitMessage>(CHAIN_ID, { type: 'commit', view: 1, height: 7, digest, sender: `validator-${signer + 1}`, ...fields }, signers[signer]);
}

function blockWith(certificate: CommitMessage[] | undefined, overrides: Partial<BlockResponse> = {}): BlockResponse {
  return {
    height: 7,
    hash: toHex(digest),
    header: { txRoot: toHex(header.txRoot), txCount: header.txCount, height: 7 },
    headerBytes: toHex(encodeBlockHeader(header)),
    txHashes: txs.map((tx) => tx.hashHex),
    certificate: certificate ? toHex(encodeCommitCertificate(certificate)) : undefined,
    ...overrides,
  };
}

function receiptWith(block: BlockResponse): TransactionResponse {
  const proof = merkleProof(txs.map((tx) => tx.hash), 1);
  return {
    hash: txs[1].hashHex,
    status: 'committed',
    height: 7,
    index: 1,
    raw: toHex(txs[1].bytes),
    proof: { leafIndex: 1, leafCount: 3, path: proof.path.map(toHex), root: toHex(header.txRoot) },
    block,
  };
}

describe('verifyBlockCertificate / verifyReceipt with a commit certificate', () => {
  it('accepts a block whose certificate holds 2f+1 COMMITs of the genesis validators for its hash', () => {
    expect(verifyBlockCertificate(blockWith([commit(0), commit(2), commit(3)]), trust)).toEqual({ ok: true, height: 7, blockHash: toHex(digest) });
    expect(verifyReceipt(receiptWith(blockWith([commit(0), commit(1), commit(2)])), { certificate: trust })).toEqual({ ok: true, height: 7, blockHash: toHex(digest) });
  });

  it('without the option the receipt check ignores certificates, with it a missing one fails', () => {
    expect(verifyReceipt(receiptWith(blockWith(undefined))).ok).toBe(true);
    expect(verifyReceipt(receiptWith(blockWith(undefined)), { certificate: trust })).toEqual({ ok: false, reason: 'block has no commit certificate' });
  });

  it('rejects short, forged, foreign and mismatched certificates', () => {
    const outsider = new NativeSecp256k1Authenticator(testAccount('outsider').privateKey, trust.validators);
    const forged = signPbftMessage<CommitMessage>(CHAIN_ID, { type: 'commit', view: 1, height: 7, digest, sender: 'validator-3' }, outsider);
    const cases: Array<[BlockResponse, string]> = [
      [blockWith([commit(0), commit(1)]), 'commit certificate is invalid: PBFT_CERT_INSUFFICIENT'],
      [blockWith([commit(0), commit(1), forged]), 'commit certificate is invalid: PBFT_CERT_BAD_SIGNATURE'],
      [blockWith([commit(0), commit(1), commit(2, { height: 8 })]), 'commit certificate is invalid: PBFT_CERT_MISMATCH'],
      [blockWith([commit(0), commit(1), commit(2)], { certificate: 'deadbeef' }), 'certificate does not decode'],
      [blockWith([commit(0), commit(1), commit(2)], { hash: toHex(new Uint8Array(32)) }), 'header does not hash to the block hash'],
    ];
    for (const [block, reason] of cases) expect(verifyBlockCertificate(block, trust)).toEqual({ ok: false, reason });
    // The same quorum against another validator set (a different consortium) does not verify.
    const strangers = { chainId: CHAIN_ID, validators: [1, 2, 3, 4].map((i) => ({ nodeId: `validator-${i}`, consensusPublicKey: testAccount(`stranger-${i}`).publicKeyHex })) };
    expect(verifyBlockCertificate(blockWith([commit(0), commit(1), commit(2)]), strangers).ok).toBe(false);
    expect(verifyReceipt(receiptWith(blockWith([commit(0), commit(1)])), { certificate: trust })).toEqual({ ok: false, reason: 'commit certificate is invalid: PBFT_CERT_INSUFFICIENT' });
  });
});

describe('verifyBlockCertificate with a Raft leader signature', () => {
  const leaderBlock = (signer: number, signerId = `validator-${signer + 1}`, proposer = 'validator-2'): BlockResponse => {
    const h = { ...header, proposer };
    const signature = encodeLeaderSignature(signBlockAsLeader(CHAIN_ID, h, signerId, keys[signer].privateKey));
    return { ...blockWith(undefined), hash: toHex(blockHash(h)), headerBytes: toHex(encodeBlockHeader(h)), certificate: toHex(signature) };
  };

  it('accepts the proposer\'s signature with its genesis consensus key, with or without the consensus type', () => {
    const block = leaderBlock(1);
    expect(verifyBlockCertificate(block, trust)).toEqual({ ok: true, height: 7, blockHash: block.hash });
    expect(verifyBlockCertificate(block, { ...trust, consensus: { type: 'raft' } }).ok).toBe(true);
    expect(verifyReceipt(receiptWith(block), { certificate: trust }).ok).toBe(true);
  });

  it('refuses a signature by another validator, by a key outside the set, or of the wrong kind', () => {
    expect(verifyBlockCertificate(leaderBlock(2), trust)).toEqual({ ok: false, reason: 'leader signature is invalid: RAFT_SIGNER_NOT_PROPOSER' });
    const outsider = { ...leaderBlock(1) };
    outsider.certificate = toHex(encodeLeaderSignature(signBlockAsLeader(CHAIN_ID, header, 'validator-2', testAccount('outsider').privateKey)));
    expect(verifyBlockCertificate(outsider, trust)).toEqual({ ok: false, reason: 'leader signature is invalid: RAFT_BAD_SIGNATURE' });
    // A PBFT chain does not accept a leader signature, nor a Raft chain a commit certificate.
    expect(verifyBlockCertificate(leaderBlock(1), { ...trust, consensus: { type: 'pbft' } })).toEqual({ ok: false, reason: 'certificate does not decode' });
    expect(verifyBlockCertificate(blockWith([commit(0), commit(1), commit(2)]), { ...trust, consensus: { type: 'raft' } })).toEqual({ ok: false, reason: 'leader signature does not decode' });
  });
});
