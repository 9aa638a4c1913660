import { copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  addressOf,
  blockHash,
  buildBlock,
  encodeSignedTx,
  encodeTxBody,
  sha256,
  signDigest,
  toHex,
  Transaction,
  txSigningDigest,
  TxType,
  utf8,
  type Block,
  type Genesis,
} from '#chain';
import { encodeCommitCertificate, encodeLeaderSignature, NativeSecp256k1Authenticator, signBlockAsLeader, signPbftMessage, type CommitMessage } from '#consensus';
import { Ledger } from '#ledger';
import { testAccount, type TestAccount } from '../../support/chain-fixtures.js';

/** The consensus key createClusterFiles gives `nodeId`. */
export function consensusKeyOf(nodeId: string): TestAccount {
  return testAccount(`consensus-${nodeId}`);
}

interface NativeSigner {
  ecdsaSign(digest: Uint8Array, privateKey: Uint8Array): { signature: Uint8Array };
}

function nativeSigner(): NativeSigner | undefined {
  try {
    return createRequire(import.meta.url)('secp256k1') as NativeSigner;
  } catch {
    return undefined;
  }
}

/**
 * Signs transfers in bulk with libsecp256k1 when it loads (about 8× faster than the pure-JS
 * signer; both give the same deterministic low-S signatures).
 */
export function signTransfers(chainId: string, specs: ReadonlyArray<{ from: TestAccount; nonce: bigint; to: Uint8Array; amount: bigint }>): Transaction[] {
  const native = nativeSigner();
  return specs.map(({ from, nonce, to, amount }) => {
    const body = { chainId, sender: from.publicKey, nonce, payload: { type: TxType.TRANSFER, to, amount } } as const;
    const bodyBytes = encodeTxBody(body);
    const digest = txSigningDigest(chainId, bodyBytes);
    const signature = native ? native.ecdsaSign(digest, from.privateKey).signature : signDigest(digest, from.privateKey);
    return Transaction.fromBytes(encodeSignedTx(bodyBytes, signature));
  });
}

/** A built test chain: where its ledger file is, and its head. */
export interface SyncChain {
  sqlitePath: string;
  height: number;
  txCount: number;
  headHash: string;
  stateRoot: string;
}

/**
 * Builds `blocks` blocks of `txsPerBlock` transfers from the genesis members (member-0..) to
 * fresh addresses into a SQLite ledger, each stored with the commit proof its consensus type
 * syncs with: a Raft leader signature of `proposer`, or a PBFT commit certificate of the first
 * 2f+1 validators. Blocks are written without fsync; the file is then copied where needed.
 */
export async function buildSyncChain(options: { genesis: Genesis; dir: string; blocks: number; txsPerBlock: number; senders: number; proposer?: string }): Promise<SyncChain> {
  const { genesis, blocks, txsPerBlock } = options;
  const chainId = genesis.chainId;
  const senders = Array.from({ length: options.senders }, (_, i) => testAccount(`member-${i}`));
  const proposer = options.proposer ?? genesis.validators[0].nodeId;
  const sqlitePath = join(options.dir, 'chain.sqlite');
  const ledger = await Ledger.open({ database: { kind: 'sqlite', path: sqlitePath, synchronousFull: false }, genesis });
  const nonces = new Map<string, bigint>();
  const specs = [];
  for (let i = 0; i < blocks * txsPerBlock; i++) {
    const from = senders[i % senders.length];
    const nonce = nonces.get(from.publicKeyHex) ?? 0n;
    nonces.set(from.publicKeyHex, nonce + 1n);
    specs.push({ from, nonce, to: addressOf(sha256(utf8(`sync recipient ${i}`))), amount: 1n });
  }
  const txs = signTransfers(chainId, specs);
  const certify = certifier(genesis, proposer);
  try {
    for (let b = 0; b < blocks; b++) {
      const built = buildBlock(
        ledger.state,
        txs.slice(b * txsPerBlock, (b + 1) * txsPerBlock),
        { parent: ledger.headHeader, timestampMs: 1_767_225_600_000n + BigInt(b), proposer, powDifficultyBits: 0, maxTxs: txsPerBlock },
        { rules: ledger.rules, isVerified: () => true },
      );
      if (built.rejected.length) throw new Error(`block ${b + 1}: rejected ${built.rejected[0].code}`);
      await ledger.commitBlock(built.block, built, { certificate: certify(built.block) });
    }
    return { sqlitePath, height: Number(ledger.height), txCount: blocks * txsPerBlock, headHash: ledger.headHash, stateRoot: toHex(ledger.headHeader.stateRoot) };
  } finally {
    await ledger.close();
  }
}

function certifier(genesis: Genesis, proposer: string): (block: Block) => Uint8Array {
  if (genesis.consensus.type === 'pbft') {
    const ids = genesis.validators.map((v) => v.nodeId);
    const quorum = Math.floor((2 * ids.length) / 3) + 1;
    const signers = ids.slice(0, quorum).map((id) => ({ id, auth: new NativeSecp256k1Authenticator(consensusKeyOf(id).privateKey, genesis.validators) }));
    return (block) => {
      const digest = blockHash(block.header);
      const commits = signers.map(({ id, auth }) =>
        signPbftMessage<CommitMessage>(genesis.chainId, { type: 'commit', view: 0, height: Number(block.header.height), digest, sender: id }, auth),
      );
      return encodeCommitCertificate(commits);
    };
  }
  const key = consensusKeyOf(proposer).privateKey;
  return (block) => encodeLeaderSignature(signBlockAsLeader(genesis.chainId, block.header, proposer, key));
}

/** Copies a built ledger to `<dataDir>/ledger.sqlite` (where a validator keeps it). */
export function installLedger(chain: SyncChain, dataDir: string): string {
  const target = join(dataDir, 'ledger.sqlite');
  copyFileSync(chain.sqlitePath, target);
  return target;
}
