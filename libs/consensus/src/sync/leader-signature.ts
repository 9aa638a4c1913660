import { blockHash, FieldMap, fromHex, ProtoWriter, sha256, signDigest, utf8, verifyDigest, type BlockHeader } from '#chain';
import { AccordError } from '#common';

/*
 * The commit proof of a Raft block, stored as the block's certificate:
 *
 *   message LeaderSignature { string signer = 1; bytes signature = 2; }
 *
 * `signature` is the leader's consensus key (secp256k1, compact low-S) over
 * SHA-256("ACCORD-RAFT-BLOCK-V1\0" ‖ len(chainId) ‖ chainId ‖ blockHash): the domain tag and the
 * chain id keep it from ever being mistaken for a transaction or PBFT signature, or replayed on
 * another chain.
 */

/** A validator allowed to sign blocks, with its consensus public key (33-byte compressed). */
export interface ConsensusValidator {
  nodeId: string;
  consensusPublicKey: Uint8Array;
}

/** The validators whose signatures count (genesis today; the on-chain set later). */
export type ValidatorsProvider = () => readonly ConsensusValidator[];

/** A Raft leader's signature over a block hash. */
export interface LeaderSignature {
  signer: string;
  signature: Uint8Array;
}

const DOMAIN = utf8('ACCORD-RAFT-BLOCK-V1\0');

/** The digest a Raft leader signs for a block. */
export function leaderSigningDigest(chainId: string, hash: Uint8Array): Uint8Array {
  const chainIdBytes = utf8(chainId);
  return sha256(DOMAIN, Uint8Array.of(chainIdBytes.length), chainIdBytes, hash);
}

/** Signs `header` as the leader `signer` with its consensus secret key. */
export function signBlockAsLeader(chainId: string, header: BlockHeader, signer: string, secretKey: Uint8Array): LeaderSignature {
  return { signer, signature: signDigest(leaderSigningDigest(chainId, blockHash(header)), secretKey) };
}

export function encodeLeaderSignature(signature: LeaderSignature): Uint8Array {
  return new ProtoWriter(96).string(1, signature.signer).bytes(2, signature.signature).finish();
}

/** Decodes a stored leader signature; throws AccordError `RAFT_SIGNATURE_DECODE`. */
export function decodeLeaderSignature(bytes: Uint8Array): LeaderSignature {
  try {
    const f = new FieldMap(bytes, { 1: 2, 2: 2 });
    const signature = { signer: f.string(1), signature: f.bytes(2) };
    if (signature.signer.length === 0 || signature.signature.length !== 64) throw new Error('signer or signature missing');
    return signature;
  } catch (error) {
    throw new AccordError('RAFT_SIGNATURE_DECODE', `not a leader signature: ${(error as Error).message}`);
  }
}

/** Outcome of a proof check. */
export type ProofVerdict = { ok: true } | { ok: false; code: string };

/**
 * Checks that `signature` is the block proposer's, made with the consensus key `validators`
 * list for it: the leader that built a Raft block vouches for it.
 */
export function verifyLeaderSignature(chainId: string, header: BlockHeader, signature: LeaderSignature, validators: readonly ConsensusValidator[]): ProofVerdict {
  if (signature.signer !== header.proposer) return { ok: false, code: 'RAFT_SIGNER_NOT_PROPOSER' };
  const validator = validators.find((v) => v.nodeId === signature.signer);
  if (!validator) return { ok: false, code: 'RAFT_SIGNER_UNKNOWN' };
  if (!verifyDigest(signature.signature, leaderSigningDigest(chainId, blockHash(header)), validator.consensusPublicKey)) return { ok: false, code: 'RAFT_BAD_SIGNATURE' };
  return { ok: true };
}

/** `verifyLeaderSignature` over the stored encoding (undecodable counts as invalid). */
export function verifyLeaderCertificate(chainId: string, header: BlockHeader, certificate: Uint8Array | undefined, validators: readonly ConsensusValidator[]): ProofVerdict {
  if (!certificate || certificate.length === 0) return { ok: false, code: 'RAFT_SIGNATURE_MISSING' };
  let signature: LeaderSignature;
  try {
    signature = decodeLeaderSignature(certificate);
  } catch {
    return { ok: false, code: 'RAFT_SIGNATURE_DECODE' };
  }
  return verifyLeaderSignature(chainId, header, signature, validators);
}


/** The genesis validators with their consensus keys (a `ValidatorsProvider` until the set lives on chain). */
export function validatorsOfGenesis(genesis: { validators: readonly { nodeId: string; consensusPublicKey: string }[] }): ConsensusValidator[] {
  return genesis.validators.map((v) => ({ nodeId: v.nodeId, consensusPublicKey: fromHex(v.consensusPublicKey) ?? new Uint8Array(0) }));
}
