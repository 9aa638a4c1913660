import type { DataSource } from 'typeorm';
import { fromHex, MemberRole, Transaction, TxType, type TxPayload } from '#chain';
import type { AuditService } from '../audit/audit.service.js';
import type { KeyVault } from '../ca/key-vault.js';
import { iso, type Clock } from '../clock.js';
import { MemberEntity, OrganisationEntity } from '../db/entities/index.js';
import { readSetting, writeSetting } from '../db/settings.js';
import type { WriteLock } from '../db/write-lock.js';
import type { MembershipChange, MembershipListener } from '../register/membership-events.js';
import type { GenesisService } from './genesis.service.js';

const NONCE_KEY = 'governance.nonce';
const OUTBOX_KEY = 'governance.outbox';
const SUBMIT_TIMEOUT_MS = 5_000;
const ROLE_NUMBER = { client: MemberRole.CLIENT, validator: MemberRole.VALIDATOR, 'org-admin': MemberRole.ORG_ADMIN } as const;

/** Sends one signed transaction to a validator; resolves when the validator accepted it. */
export type TransactionSubmitter = (restUrl: string, tx: Transaction) => Promise<void>;

/** A membership change waiting to reach the chain. */
export interface OutboxItem {
  change: MembershipChange;
  memberId: string;
  actor: string;
  queuedAt: string;
}

/**
 * Default submitter: `POST <restUrl>/v1/transactions` with `{"tx": "<hex of the signed
 * transaction bytes>"}`; any 2xx is acceptance.
 */
export const httpSubmitter: TransactionSubmitter = async (restUrl, tx) => {
  const response = await fetch(new URL('/v1/transactions', restUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tx: Buffer.from(tx.bytes).toString('hex') }),
    signal: AbortSignal.timeout(SUBMIT_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`);
};

/** Builds the governance payload for a membership change. */
export function governancePayload(change: MembershipChange, member: MemberEntity, organisation: string): TxPayload {
  const publicKey = fromHex(member.accountPublicKey)!;
  switch (change) {
    case 'add':
      return { type: TxType.MEMBER_ADD, publicKey, role: ROLE_NUMBER[member.role], organization: organisation };
    case 'suspend':
      return { type: TxType.MEMBER_SUSPEND, publicKey };
    case 'reinstate':
      return { type: TxType.MEMBER_REINSTATE, publicKey };
    case 'remove':
      return { type: TxType.MEMBER_REMOVE, publicKey };
  }
}

/**
 * After genesis, turns membership changes into governance transactions signed with the
 * governance key and sends them to the validators, trying each in turn until one accepts.
 * Changes go through a persistent outbox, strictly in order: one that no validator accepts
 * stays queued (audited as failed) and is retried before anything newer, so the chain never
 * sees a reinstate before its suspend. The nonce advances only on acceptance.
 */
export class GovernanceSender implements MembershipListener {
  constructor(
    private readonly dataSource: DataSource,
    private readonly lock: WriteLock,
    private readonly vault: KeyVault,
    private readonly genesis: GenesisService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly submit: TransactionSubmitter = httpSubmitter,
  ) {}

  /** Queues the change (after genesis) and flushes the outbox; returns this change's tx hash if it was sent. */
  membershipChanged(actor: string, change: MembershipChange, member: MemberEntity): Promise<string | undefined> {
    return this.lock.run(async () => {
      if (!(await this.genesis.current())) return undefined;
      const outbox = await this.outbox();
      outbox.push({ change, memberId: member.id, actor, queuedAt: iso(this.clock()) });
      await this.saveOutbox(outbox);
      const sent = await this.flushLocked();
      return sent.get(outbox.length - 1);
    });
  }

  /** Retries whatever is queued (called periodically). Returns how many transactions were accepted. */
  async flush(): Promise<number> {
    return this.lock.run(async () => (await this.flushLocked()).size);
  }

  /** Changes still waiting for a validator to accept them. */
  async pending(): Promise<OutboxItem[]> {
    return this.outbox();
  }

  /** Sends queued items in order; stops at the first one no validator accepts. Maps outbox index → tx hash. */
  private async flushLocked(): Promise<Map<number, string>> {
    const sent = new Map<number, string>();
    const frozen = await this.genesis.current();
    if (!frozen) return sent;
    const outbox = await this.outbox();
    let index = 0;
    while (index < outbox.length) {
      const item = outbox[index]!;
      const nonce = BigInt((await readSetting(this.dataSource.manager, NONCE_KEY)) ?? '0');
      const tx = await this.buildTransaction(frozen.genesis.chainId, item, nonce);
      const failures = await this.submitToAnyValidator(tx);
      if (failures) {
        await this.audit.record({ actor: item.actor, action: `governance.${item.change}-failed`, target: `member:${item.memberId}`, details: { txHash: tx.hashHex, nonce: nonce.toString(), failures } });
        break;
      }
      await writeSetting(this.dataSource.manager, NONCE_KEY, String(nonce + 1n), iso(this.clock()));
      await this.audit.record({ actor: item.actor, action: `governance.${item.change}`, target: `member:${item.memberId}`, details: { txHash: tx.hashHex, nonce: nonce.toString() } });
      sent.set(index, tx.hashHex);
      index++;
    }
    if (index > 0) await this.saveOutbox(outbox.slice(index));
    return sent;
  }

  private async buildTransaction(chainId: string, item: OutboxItem, nonce: bigint): Promise<Transaction> {
    const member = await this.dataSource.getRepository(MemberEntity).findOneByOrFail({ id: item.memberId });
    const organisation = await this.dataSource.getRepository(OrganisationEntity).findOneByOrFail({ id: member.organisationId });
    return Transaction.sign(
      { chainId, sender: fromHex(this.vault.governancePublicKeyHex)!, nonce, payload: governancePayload(item.change, member, organisation.name) },
      this.vault.governancePrivateKey(),
    );
  }

  /** Undefined when a validator accepted the transaction, else one failure line per validator tried. */
  private async submitToAnyValidator(tx: Transaction): Promise<string[] | undefined> {
    const validators = await this.dataSource.getRepository(MemberEntity).find({ where: { role: 'validator', status: 'active' }, order: { nodeId: 'ASC' } });
    const failures: string[] = [];
    for (const validator of validators) {
      if (!validator.restUrl) continue;
      try {
        await this.submit(validator.restUrl, tx);
        return undefined;
      } catch (error) {
        failures.push(`${validator.nodeId}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return failures.length > 0 ? failures : ['no active validator with a REST URL'];
  }

  private async outbox(): Promise<OutboxItem[]> {
    return JSON.parse((await readSetting(this.dataSource.manager, OUTBOX_KEY)) ?? '[]') as OutboxItem[];
  }

  private async saveOutbox(outbox: OutboxItem[]): Promise<void> {
    await writeSetting(this.dataSource.manager, OUTBOX_KEY, JSON.stringify(outbox), iso(this.clock()));
  }
}
