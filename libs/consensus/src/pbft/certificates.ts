import { primaryOf, quorumSize, bytesEqual } from './quorum.js';
import { pbftSigningBytes, signingBytesOf } from './signing.js';
import { verifySecp256k1 } from './secp256k1-authenticator.js';
import type { CheckpointMessage, CommitMessage, PbftAuthenticator, PreparedCertificate, ValidatorId } from './types.js';

/** What certificate checks need to know about the chain: its id, validators and quorum. */
export interface PbftVerificationContext {
  readonly chainId: string;
  /** Validators in genesis order (the order defines primaries). */
  readonly validators: readonly ValidatorId[];
  /** Matching messages needed for a certificate; `quorumSize(validators.length)` unless testing. */
  readonly quorum: number;
  readonly authenticator: Pick<PbftAuthenticator, 'verify'>;
  /** The application's block hash; when given, blocks inside prepared certificates must match their digest. */
  readonly blockDigest?: (block: Uint8Array) => Uint8Array;
  /**
   * Height at which this validator set took over (0: the genesis set). Like genesis, its
   * checkpoint needs no proof: the old set committed it, and the new set cannot sign for it.
   */
  readonly epochHeight?: number;
}

/** Outcome of a certificate check. */
export type CertificateVerdict = { readonly ok: true } | { readonly ok: false; readonly code: string };

/** Input of `verifyCommitCertificate`. */
export interface CommitCertificateInput {
  readonly chainId: string;
  readonly height: number;
  readonly blockDigest: Uint8Array;
  readonly certificate: readonly CommitMessage[];
  /** The validator set that was in force at `height`, with consensus public keys. */
  readonly validators: readonly { readonly id: ValidatorId; readonly consensusPublicKey: Uint8Array }[];
}

/**
 * Verifies a block's commit certificate offline with secp256k1: at least 2f+1 COMMIT messages
 * from distinct members of `validators`, all for this height and digest in one view, each
 * signature valid over the COMMIT signing bytes. Used by the SDK and by block sync.
 */
export function verifyCommitCertificate(input: CommitCertificateInput): CertificateVerdict {
  const keys = new Map(input.validators.map((v) => [v.id, v.consensusPublicKey]));
  return checkCommitCertificate(
    {
      chainId: input.chainId,
      validators: input.validators.map((v) => v.id),
      quorum: quorumSize(input.validators.length),
      authenticator: {
        verify: (id, bytes, signature) => {
          const key = keys.get(id);
          return key !== undefined && verifySecp256k1(key, bytes, signature);
        },
      },
    },
    input.height,
    input.blockDigest,
    input.certificate,
  );
}

/** `verifyCommitCertificate` with an injected verifier and quorum (the core and simulations use it). */
export function checkCommitCertificate(
  context: PbftVerificationContext,
  height: number,
  blockDigest: Uint8Array,
  certificate: readonly CommitMessage[],
): CertificateVerdict {
  if (certificate.length === 0) return { ok: false, code: 'PBFT_CERT_EMPTY' };
  const members = new Set(context.validators);
  const signers = new Set<ValidatorId>();
  const view = certificate[0].view;
  for (const commit of certificate) {
    if (commit.type !== 'commit') return { ok: false, code: 'PBFT_CERT_WRONG_TYPE' };
    if (commit.height !== height || !bytesEqual(commit.digest, blockDigest)) return { ok: false, code: 'PBFT_CERT_MISMATCH' };
    if (commit.view !== view) return { ok: false, code: 'PBFT_CERT_VIEW_MISMATCH' };
    if (!members.has(commit.sender)) return { ok: false, code: 'PBFT_CERT_UNKNOWN_VALIDATOR' };
    if (signers.has(commit.sender)) return { ok: false, code: 'PBFT_CERT_DUPLICATE_SIGNER' };
    if (!context.authenticator.verify(commit.sender, pbftSigningBytes(context.chainId, commit), commit.signature)) {
      return { ok: false, code: 'PBFT_CERT_BAD_SIGNATURE' };
    }
    signers.add(commit.sender);
  }
  return signers.size >= context.quorum ? { ok: true } : { ok: false, code: 'PBFT_CERT_INSUFFICIENT' };
}

/**
 * Checks a prepared certificate: a pre-prepare signed by the primary of its view plus
 * quorum - 1 prepares (the pre-prepare stands for the primary's vote) from distinct
 * non-primary validators, all matching view, height and digest, all correctly signed.
 */
export function checkPreparedCertificate(context: PbftVerificationContext, cert: PreparedCertificate): CertificateVerdict {
  const pp = cert.prePrepare;
  if (pp.type !== 'pre-prepare') return { ok: false, code: 'PBFT_CERT_WRONG_TYPE' };
  const primary = primaryOf(context.validators, pp.view);
  if (pp.sender !== primary) return { ok: false, code: 'PBFT_CERT_NOT_PRIMARY' };
  if (!context.authenticator.verify(pp.sender, pbftSigningBytes(context.chainId, pp), pp.signature)) {
    return { ok: false, code: 'PBFT_CERT_BAD_SIGNATURE' };
  }
  // The signature covers the digest only, so a relayer could swap the bytes; the hash catches it.
  if (context.blockDigest !== undefined && !bytesEqual(context.blockDigest(pp.block), pp.digest)) {
    return { ok: false, code: 'PBFT_CERT_BLOCK_MISMATCH' };
  }
  const members = new Set(context.validators);
  const signers = new Set<ValidatorId>();
  for (const prepare of cert.prepares) {
    if (prepare.type !== 'prepare') return { ok: false, code: 'PBFT_CERT_WRONG_TYPE' };
    if (prepare.view !== pp.view || prepare.height !== pp.height || !bytesEqual(prepare.digest, pp.digest)) {
      return { ok: false, code: 'PBFT_CERT_MISMATCH' };
    }
    if (!members.has(prepare.sender) || prepare.sender === primary) return { ok: false, code: 'PBFT_CERT_UNKNOWN_VALIDATOR' };
    if (signers.has(prepare.sender)) return { ok: false, code: 'PBFT_CERT_DUPLICATE_SIGNER' };
    if (!context.authenticator.verify(prepare.sender, pbftSigningBytes(context.chainId, prepare), prepare.signature)) {
      return { ok: false, code: 'PBFT_CERT_BAD_SIGNATURE' };
    }
    signers.add(prepare.sender);
  }
  return signers.size >= context.quorum - 1 ? { ok: true } : { ok: false, code: 'PBFT_CERT_INSUFFICIENT' };
}

/**
 * Checks a stable-checkpoint proof: a quorum of distinct, correctly signed checkpoint messages
 * for `height` agreeing on one digest. Height 0 (genesis), or the epoch's first height, needs no proof.
 */
export function checkCheckpointProof(
  context: PbftVerificationContext,
  height: number,
  proof: readonly CheckpointMessage[],
): CertificateVerdict {
  if (height === (context.epochHeight ?? 0)) return proof.length === 0 ? { ok: true } : { ok: false, code: 'PBFT_CERT_MISMATCH' };
  if (proof.length === 0) return { ok: false, code: 'PBFT_CERT_EMPTY' };
  const members = new Set(context.validators);
  const signers = new Set<ValidatorId>();
  const digest = proof[0].digest;
  for (const cp of proof) {
    if (cp.type !== 'checkpoint') return { ok: false, code: 'PBFT_CERT_WRONG_TYPE' };
    if (cp.height !== height || !bytesEqual(cp.digest, digest)) return { ok: false, code: 'PBFT_CERT_MISMATCH' };
    if (!members.has(cp.sender)) return { ok: false, code: 'PBFT_CERT_UNKNOWN_VALIDATOR' };
    if (signers.has(cp.sender)) return { ok: false, code: 'PBFT_CERT_DUPLICATE_SIGNER' };
    if (!context.authenticator.verify(cp.sender, pbftSigningBytes(context.chainId, cp), cp.signature)) {
      return { ok: false, code: 'PBFT_CERT_BAD_SIGNATURE' };
    }
    signers.add(cp.sender);
  }
  return signers.size >= context.quorum ? { ok: true } : { ok: false, code: 'PBFT_CERT_INSUFFICIENT' };
}

/** The COMMIT signing bytes for one validator's vote (exported for light clients building proofs). */
export function commitSigningBytes(chainId: string, view: number, height: number, digest: Uint8Array, sender: ValidatorId): Uint8Array {
  return signingBytesOf({ chainId, type: 'commit', view, height, digest, sender });
}
