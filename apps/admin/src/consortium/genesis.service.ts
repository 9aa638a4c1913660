import type { DataSource } from 'typeorm';
import { AccordError } from '#common';
import { canonicalGenesisJson, genesisHash, parseGenesis, toHex, type ConsensusParams, type Genesis } from '#chain';
import type { AuditService } from '../audit/audit.service.js';
import type { KeyVault } from '../ca/key-vault.js';
import { iso, type Clock } from '../clock.js';
import { CertificateEntity, MemberEntity, OrganisationEntity } from '../db/entities/index.js';
import { readSetting, writeSetting } from '../db/settings.js';
import { writeTransaction, type WriteLock } from '../db/write-lock.js';
import { activeCertificateOf, validatorEntry } from './validator-entry.js';

/** Choices an admin makes when freezing the genesis. */
export interface GenesisRequest {
  consensus: 'raft' | 'pbft';
  blockIntervalMs?: number;
  maxTxsPerBlock?: number;
  electionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  powDifficultyBits?: number;
  /** Default: now. */
  genesisTime?: string;
}

/** The frozen genesis: its canonical bytes and their SHA-256. */
export interface FrozenGenesis {
  canonicalJson: string;
  hashHex: string;
  genesis: Genesis;
}

const GENESIS_KEY = 'genesis.json';
const GENESIS_HASH_KEY = 'genesis.hash';

/** Genesis defaults: a block every second, up to 500 transactions, Raft-style timeouts. */
export const DEFAULT_CONSENSUS: Omit<ConsensusParams, 'type'> = { blockIntervalMs: 1000, maxTxsPerBlock: 500, electionTimeoutMs: 1500, heartbeatIntervalMs: 150 };
const DEFAULT_LIMITS = { maxTxBytes: 8192, maxRecordValueBytes: 4096, maxTransferAmount: '1000000000000' };

/**
 * Assembles the genesis from the register (active members, active validators with their
 * current certificate's SPKI fingerprint, the governance key) once, and freezes it: the stored
 * canonical bytes are served unchanged from then on.
 */
export class GenesisService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly lock: WriteLock,
    private readonly vault: KeyVault,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly chainId: string,
  ) {}

  /** The frozen genesis, or undefined before it is generated. */
  async current(): Promise<FrozenGenesis | undefined> {
    const canonicalJson = await readSetting(this.dataSource.manager, GENESIS_KEY);
    const hashHex = await readSetting(this.dataSource.manager, GENESIS_HASH_KEY);
    if (!canonicalJson || !hashHex) return undefined;
    return { canonicalJson, hashHex, genesis: parseGenesis(JSON.parse(canonicalJson)) };
  }

  async generate(actor: string, request: GenesisRequest): Promise<FrozenGenesis> {
    return writeTransaction(this.lock, this.dataSource, async (tx) => {
      if (await readSetting(tx, GENESIS_KEY)) throw new AccordError('GENESIS_FROZEN', 'the genesis was already generated and is frozen');
      const organisations = new Map((await tx.getRepository(OrganisationEntity).find()).map((org) => [org.id, org.name]));
      const members = await tx.getRepository(MemberEntity).find({ where: { status: 'active' }, order: { createdAt: 'ASC' } });
      const certificates = await tx.getRepository(CertificateEntity).find({ where: { status: 'active' } });
      const validators = members.filter((member) => member.role === 'validator').map((member) => {
        const certificate = activeCertificateOf(certificates, member.id);
        if (!certificate) throw new AccordError('GENESIS_NOT_READY', `validator ${member.nodeId} has no active certificate`);
        return validatorEntry(member, organisations.get(member.organisationId)!, certificate);
      });
      if (validators.length === 0) throw new AccordError('GENESIS_NOT_READY', 'the genesis needs at least one active validator');
      const draft: Genesis = {
        chainId: this.chainId,
        genesisTime: request.genesisTime ?? iso(this.clock()),
        consensus: {
          type: request.consensus,
          blockIntervalMs: request.blockIntervalMs ?? DEFAULT_CONSENSUS.blockIntervalMs,
          maxTxsPerBlock: request.maxTxsPerBlock ?? DEFAULT_CONSENSUS.maxTxsPerBlock,
          electionTimeoutMs: request.electionTimeoutMs ?? DEFAULT_CONSENSUS.electionTimeoutMs,
          heartbeatIntervalMs: request.heartbeatIntervalMs ?? DEFAULT_CONSENSUS.heartbeatIntervalMs,
        },
        powDifficultyBits: request.powDifficultyBits ?? 0,
        governanceKeys: [this.vault.governancePublicKeyHex],
        limits: DEFAULT_LIMITS,
        members: members.map((member) => ({
          publicKey: member.accountPublicKey,
          role: member.role,
          organization: organisations.get(member.organisationId)!,
          balance: member.initialBalance,
        })),
        validators,
      };
      // parseGenesis applies the chain's own rules, so a genesis the validators would refuse is never frozen.
      let genesis: Genesis;
      try {
        genesis = parseGenesis(draft);
      } catch (error) {
        throw new AccordError('GENESIS_INVALID', error instanceof Error ? error.message : String(error));
      }
      const canonicalJson = canonicalGenesisJson(genesis);
      const hashHex = toHex(genesisHash(genesis));
      const now = iso(this.clock());
      await writeSetting(tx, GENESIS_KEY, canonicalJson, now);
      await writeSetting(tx, GENESIS_HASH_KEY, hashHex, now);
      await this.audit.record({ actor, action: 'genesis.frozen', target: `chain:${genesis.chainId}`, details: { hash: hashHex, validators: validators.length, members: genesis.members.length, consensus: genesis.consensus.type } }, tx);
      return { canonicalJson, hashHex, genesis };
    });
  }
}
