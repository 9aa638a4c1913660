import { ChainError, ChainErrorCode, LTHASH_LANES, LtHash, sha256, toHex, Transaction, verifyDigest, type TxLimits } from '#chain';
import { unpackBlockEntries, unpackSignatureChecks } from './packed-jobs.js';
import type { SignatureCheckJob, SignatureCheckResult, StateDeltaJob, StateDeltaResult, VerifyJobData, VerifyJobResult, VerifyResult } from './types.js';

function verifyOne(bytes: Uint8Array, chainId: string, limits: TxLimits): VerifyResult {
  const hashHex = toHex(sha256(bytes));
  try {
    const tx = Transaction.fromBytes(bytes, limits);
    if (tx.body.chainId !== chainId) {
      return { ok: false, hashHex, code: ChainErrorCode.WRONG_CHAIN_ID, message: `transaction is for chain ${JSON.stringify(tx.body.chainId)}` };
    }
    if (!tx.verifySignature()) {
      return { ok: false, hashHex, code: ChainErrorCode.BAD_SIGNATURE, message: 'signature does not verify against the sender key' };
    }
    return { ok: true, hashHex };
  } catch (error) {
    if (error instanceof ChainError) return { ok: false, hashHex, code: error.code, message: error.message };
    return { ok: false, hashHex, code: ChainErrorCode.MALFORMED_TX, message: `undecodable transaction: ${(error as Error).message}` };
  }
}

function asBytes(tx: string | Uint8Array): Uint8Array {
  if (typeof tx !== 'string') return tx;
  const buffer = Buffer.from(tx, 'base64');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/**
 * The one verification routine every `TxVerifier` runs (inline, in worker threads and in Bull
 * sandboxed processes): decodes each transaction with the chain's structural checks, checks
 * the chain id and verifies the signature. Pure apart from CPU; never throws for bad input.
 */
export function processVerifyJob(job: { data: VerifyJobData }): VerifyJobResult {
  const { chainId, limits, txs } = job.data;
  return { results: txs.map((tx) => verifyOne(asBytes(tx), chainId, limits)) };
}

/** Checks signatures over digests computed by the caller (native libsecp256k1, low-S only). */
export function processSignatureChecks(job: SignatureCheckJob): SignatureCheckResult {
  const checks = unpackSignatureChecks(job.packedChecks);
  const valid = new Uint8Array(checks.length);
  for (const [i, check] of checks.entries()) valid[i] = verifyDigest(check.signature, check.digest, check.publicKey) ? 1 : 0;
  return { valid };
}

/** Expands each block's state entries into the LtHash lanes they move the commitment by. */
export function processStateDeltas(job: StateDeltaJob): StateDeltaResult {
  const blocks = unpackBlockEntries(job.blockEntries);
  const lanes = new Uint16Array(blocks.length * LTHASH_LANES);
  for (const [i, block] of blocks.entries()) lanes.set(LtHash.deltaOf(block.removed, block.added), i * LTHASH_LANES);
  return { lanes };
}
