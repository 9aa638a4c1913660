import { fromHex, toHex, utf8 } from './bytes.js';
import { addressOf, isValidPublicKey } from './crypto/keys.js';
import { ChainError, ChainErrorCode } from './errors.js';
import { ZERO_HASH, sha256 } from './hash.js';
import { merkleRoot } from './merkle.js';
import type { Block, BlockHeader } from './block/types.js';
import type { ChainRules } from './state/execute.js';
import { WorldState } from './state/world-state.js';
import { LtHash } from './state/lthash.js';
import { accountEntryBytes, memberEntryBytes, nodeEntryBytes, type NetworkNode } from './state/entries.js';
import { MAX_UINT64, MemberRole } from './tx/types.js';

/** Consensus algorithms a network can run. */
export type ConsensusType = 'solo' | 'raft' | 'pbft';

/** Consensus parameters from the genesis. */
export interface ConsensusParams {
  type: ConsensusType;
  /** How often the leader/primary cuts a block when transactions are waiting. */
  blockIntervalMs: number;
  /** A block is cut early when this many transactions are waiting. */
  maxTxsPerBlock: number;
  /** Raft election timeout / PBFT view-change timeout base. */
  electionTimeoutMs: number;
  /** Raft heartbeat interval. */
  heartbeatIntervalMs: number;
}

/** A member present from the start. */
export interface GenesisMember {
  /** 33-byte compressed secp256k1 public key, hex. */
  publicKey: string;
  role: 'client' | 'validator' | 'org-admin';
  organization: string;
  /** Initial balance, decimal string (unsigned 64-bit). */
  balance: string;
}

/** A validator of the initial validator set. */
export interface GenesisValidator {
  nodeId: string;
  organization: string;
  /** secp256k1 key signing consensus messages, hex (compressed). */
  consensusPublicKey: string;
  /** SHA-256 of the TLS certificate's SubjectPublicKeyInfo, hex: the peer identity. */
  spkiSha256: string;
  /** host:port of the p2p listener. */
  p2pAddress: string;
  /** Base URL of the REST API. */
  apiUrl: string;
}

/** The genesis file: everything a validator needs to start the chain. */
export interface Genesis {
  chainId: string;
  /** ISO-8601 time of block 0. */
  genesisTime: string;
  consensus: ConsensusParams;
  /** Leading zero bits required of every block hash; 0 = proof of work off. */
  powDifficultyBits: number;
  /** Public keys (hex) allowed to sign governance transactions. */
  governanceKeys: string[];
  limits: { maxTxBytes: number; maxRecordValueBytes: number; maxTransferAmount: string };
  members: GenesisMember[];
  validators: GenesisValidator[];
}

const ROLE_NUMBER = { client: MemberRole.CLIENT, validator: MemberRole.VALIDATOR, 'org-admin': MemberRole.ORG_ADMIN } as const;
const CONSENSUS_TYPES: readonly ConsensusType[] = ['solo', 'raft', 'pbft'];

function reject(message: string): never {
  throw new ChainError(ChainErrorCode.INVALID_GENESIS, message);
}

function requireObject(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) reject(`${path} must be an object`);
  return value as Record<string, unknown>;
}

function requireString(value: unknown, path: string, maxBytes = 256): string {
  if (typeof value !== 'string' || value.length === 0 || utf8(value).length > maxBytes) reject(`${path} must be a non-empty string`);
  return value;
}

function requireInt(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) reject(`${path} must be an integer in ${min}..${max}`);
  return value;
}

function requireUint64String(value: unknown, path: string): string {
  if (typeof value !== 'string' || !/^(0|[1-9][0-9]{0,19})$/.test(value) || BigInt(value) > MAX_UINT64) {
    reject(`${path} must be a decimal string of an unsigned 64-bit integer`);
  }
  return value;
}

function requirePublicKey(value: unknown, path: string): string {
  const hex = requireString(value, path).toLowerCase();
  const bytes = fromHex(hex);
  if (!bytes || !isValidPublicKey(bytes)) reject(`${path} must be a compressed secp256k1 public key in hex`);
  return hex;
}

/** Validates untrusted JSON as a genesis; throws ChainError INVALID_GENESIS naming the field. */
export function parseGenesis(json: unknown): Genesis {
  const root = requireObject(json, 'genesis');
  const consensus = requireObject(root.consensus, 'consensus');
  const limits = requireObject(root.limits, 'limits');
  const type = consensus.type;
  if (typeof type !== 'string' || !CONSENSUS_TYPES.includes(type as ConsensusType)) reject('consensus.type must be solo, raft or pbft');
  if (!Array.isArray(root.members) || !Array.isArray(root.validators) || !Array.isArray(root.governanceKeys)) {
    reject('members, validators and governanceKeys must be arrays');
  }
  const genesisTime = requireString(root.genesisTime, 'genesisTime');
  if (Number.isNaN(Date.parse(genesisTime))) reject('genesisTime must be an ISO-8601 time');
  const genesis: Genesis = {
    chainId: requireString(root.chainId, 'chainId', 64),
    genesisTime,
    consensus: {
      type: type as ConsensusType,
      blockIntervalMs: requireInt(consensus.blockIntervalMs, 'consensus.blockIntervalMs', 1, 600_000),
      maxTxsPerBlock: requireInt(consensus.maxTxsPerBlock, 'consensus.maxTxsPerBlock', 1, 100_000),
      electionTimeoutMs: requireInt(consensus.electionTimeoutMs, 'consensus.electionTimeoutMs', 10, 600_000),
      heartbeatIntervalMs: requireInt(consensus.heartbeatIntervalMs, 'consensus.heartbeatIntervalMs', 1, 600_000),
    },
    powDifficultyBits: requireInt(root.powDifficultyBits, 'powDifficultyBits', 0, 64),
    governanceKeys: (root.governanceKeys as unknown[]).map((key, i) => requirePublicKey(key, `governanceKeys[${i}]`)),
    limits: {
      maxTxBytes: requireInt(limits.maxTxBytes, 'limits.maxTxBytes', 256, 1_048_576),
      maxRecordValueBytes: requireInt(limits.maxRecordValueBytes, 'limits.maxRecordValueBytes', 0, 65_536),
      maxTransferAmount: requireUint64String(limits.maxTransferAmount, 'limits.maxTransferAmount'),
    },
    members: (root.members as unknown[]).map((raw, i) => {
      const member = requireObject(raw, `members[${i}]`);
      const role = member.role;
      if (role !== 'client' && role !== 'validator' && role !== 'org-admin') reject(`members[${i}].role must be client, validator or org-admin`);
      return {
        publicKey: requirePublicKey(member.publicKey, `members[${i}].publicKey`),
        role,
        organization: requireString(member.organization, `members[${i}].organization`, 128),
        balance: requireUint64String(member.balance, `members[${i}].balance`),
      };
    }),
    validators: (root.validators as unknown[]).map((raw, i) => {
      const validator = requireObject(raw, `validators[${i}]`);
      const spki = requireString(validator.spkiSha256, `validators[${i}].spkiSha256`).toLowerCase();
      if (!/^[0-9a-f]{64}$/.test(spki)) reject(`validators[${i}].spkiSha256 must be 64 hex characters`);
      return {
        nodeId: requireString(validator.nodeId, `validators[${i}].nodeId`, 64),
        organization: requireString(validator.organization, `validators[${i}].organization`, 128),
        consensusPublicKey: requirePublicKey(validator.consensusPublicKey, `validators[${i}].consensusPublicKey`),
        spkiSha256: spki,
        p2pAddress: requireString(validator.p2pAddress, `validators[${i}].p2pAddress`),
        apiUrl: requireString(validator.apiUrl, `validators[${i}].apiUrl`),
      };
    }),
  };
  if (genesis.consensus.type !== 'solo' && genesis.validators.length === 0) reject('raft and pbft need at least one validator');
  const memberKeys = new Set(genesis.members.map((m) => m.publicKey));
  if (memberKeys.size !== genesis.members.length) reject('members must have distinct public keys');
  const nodeIds = new Set(genesis.validators.map((v) => v.nodeId));
  if (nodeIds.size !== genesis.validators.length) reject('validators must have distinct node ids');
  return genesis;
}

function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalize);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonicalize((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/** Canonical JSON of a genesis: keys sorted at every level, no whitespace. */
export function canonicalGenesisJson(genesis: Genesis): string {
  return JSON.stringify(canonicalize(genesis));
}

/** SHA-256 of the canonical JSON: the network's identity, recorded in block 0. */
export function genesisHash(genesis: Genesis): Uint8Array {
  return sha256(utf8(canonicalGenesisJson(genesis)));
}

/** The chain rules a genesis sets. */
export function chainRulesOf(genesis: Genesis): ChainRules {
  return {
    chainId: genesis.chainId,
    maxTxBytes: genesis.limits.maxTxBytes,
    maxRecordValueBytes: genesis.limits.maxRecordValueBytes,
    maxTransferAmount: BigInt(genesis.limits.maxTransferAmount),
    governanceKeys: new Set(genesis.governanceKeys),
  };
}

/** The genesis validators as network nodes: the initial voters. */
export function genesisNodes(genesis: Genesis): Array<[string, NetworkNode]> {
  return genesis.validators.map((v) => [
    v.nodeId,
    {
      organization: v.organization,
      consensusPublicKey: fromHex(v.consensusPublicKey) as Uint8Array,
      spkiSha256: v.spkiSha256,
      p2pAddress: v.p2pAddress,
      apiUrl: v.apiUrl,
      status: 'voter',
      sinceHeight: 0n,
    },
  ]);
}

/** The initial world state: genesis members with their balances, and the validators. */
export function genesisState(genesis: Genesis): WorldState {
  const state = new WorldState();
  const lthash = new LtHash();
  for (const member of genesis.members) {
    const publicKey = fromHex(member.publicKey) as Uint8Array;
    const entry = { role: ROLE_NUMBER[member.role], organization: member.organization, status: 'active' as const };
    state.members.set(member.publicKey, entry);
    lthash.add(memberEntryBytes(publicKey, entry));
    const balance = BigInt(member.balance);
    if (balance > 0n) {
      const address = addressOf(publicKey);
      const account = { balance, nonce: 0n };
      state.accounts.set(toHex(address), account);
      lthash.add(accountEntryBytes(address, account));
    }
  }
  for (const [nodeId, node] of genesisNodes(genesis)) {
    state.nodes.set(nodeId, node);
    lthash.add(nodeEntryBytes(nodeId, node));
  }
  state.restoreAccumulator(lthash);
  return state;
}

/** Block 0: empty, committing to the genesis hash (in consensusData) and the initial state. */
export function genesisBlock(genesis: Genesis): Block {
  const header: BlockHeader = {
    chainId: genesis.chainId,
    height: 0n,
    prevHash: ZERO_HASH,
    timestampMs: BigInt(Date.parse(genesis.genesisTime)),
    txRoot: merkleRoot([]),
    stateRoot: genesisState(genesis).root(),
    proposer: 'genesis',
    consensusData: genesisHash(genesis),
    txCount: 0,
    powDifficultyBits: 0,
    powNonce: 0n,
  };
  return { header, txs: [] };
}
