import type { DataSource } from 'typeorm';
import { addressOf, formatAddress, fromHex, MemberRole, Transaction, TxType, type TxPayload } from '#chain';
import { AccordError } from '#common';
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

/** Reads an account's next nonce from a validator. */
export type NonceReader = (restUrl: string, address: string) => Promise<bigint>;

/** Validator refusals meaning "this very transaction is already in": treated as accepted. */
const ALREADY_THERE = new Set(['TX_DUPLICATE', 'TX_ALREADY_COMMITTED']);

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
  if (response.ok) return;
  const text = await response.text();
  let code = `HTTP_${response.status}`;
  try {
    code = (JSON.parse(text) as { code?: string }).code ?? code;
  } catch {
    // not a JSON error body
  }
  throw new AccordError(code, `HTTP ${response.status}: ${text.slice(0, 200)}`);
};

/** Default nonce reader: `GET <restUrl>/v1/accounts/<0x address>` → `{ nonce }`. */
export const httpNonceReader: NonceReader = async (restUrl, address) => {
  const response = await fetch(new URL(`/v1/accounts/${address}`, restUrl), { signal: AbortSignal.timeout(SUBMIT_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return BigInt((await response.json() as { nonce: string }).nonce);
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
    private readonly readNonce: NonceReader = httpNonceReader,
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
    let resynced = false;
    while (index < outbox.length) {
      const item = outbox[index]!;
      const nonce = BigInt((await readSetting(this.dataSource.manager, NONCE_KEY)) ?? '0');
      const tx = await this.buildTransaction(frozen.genesis.chainId, item, nonce);
      const outcome = await this.submitToAnyValidator(tx);
      if (outcome.nonceBehind && !resynced && (await this.resyncNonce(outcome.nonceBehind, nonce))) {
        // The chain had already used this nonce (e.g. the register was restored): rebuild and retry once.
        resynced = true;
        continue;
      }
      if (!outcome.accepted) {
        await this.audit.record({ actor: item.actor, action: `governance.${item.change}-failed`, target: `member:${item.memberId}`, details: { txHash: tx.hashHex, nonce: nonce.toString(), failures: outcome.failures } });
        break;
      }
      await writeSetting(this.dataSource.manager, NONCE_KEY, String(nonce + 1n), iso(this.clock()));
      await this.audit.record({ actor: item.actor, action: `governance.${item.change}`, target: `member:${item.memberId}`, details: { txHash: tx.hashHex, nonce: nonce.toString() } });
      sent.set(index, tx.hashHex);
      resynced = false;
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

  /** Tries each active validator in node-id order until one accepts the transaction. */
  private async submitToAnyValidator(tx: Transaction): Promise<{ accepted: boolean; failures: string[]; nonceBehind?: string }> {
    const validators = await this.dataSource.getRepository(MemberEntity).find({ where: { role: 'validator', status: 'active' }, order: { nodeId: 'ASC' } });
    const failures: string[] = [];
    let nonceBehind: string | undefined;
    for (const validator of validators) {
      if (!validator.restUrl) continue;
      try {
        await this.submit(validator.restUrl, tx);
        return { accepted: true, failures };
      } catch (error) {
        const code = error instanceof AccordError ? error.code : undefined;
        if (code && ALREADY_THERE.has(code)) return { accepted: true, failures };
        if (code === 'NONCE_REPLAY') nonceBehind ??= validator.restUrl;
        failures.push(`${validator.nodeId}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (failures.length === 0) failures.push('no active validator with a REST URL');
    return { accepted: false, failures, nonceBehind };
  }

  /** Moves the local nonce up to the validator's view of the governance account; true if it moved. */
  private async resyncNonce(restUrl: string, localNonce: bigint): Promise<boolean> {
    try {
      const address = formatAddress(addressOf(fromHex(this.vault.governancePublicKeyHex)!));
      const chainNonce = await this.readNonce(restUrl, address);
      if (chainNonce <= localNonce) return false;
      await writeSetting(this.dataSource.manager, NONCE_KEY, chainNonce.toString(), iso(this.clock()));
      return true;
    } catch {
      return false;
    }
  }

  private async outbox(): Promise<OutboxItem[]> {
    return JSON.parse((await readSetting(this.dataSource.manager, OUTBOX_KEY)) ?? '[]') as OutboxItem[];
  }

  private async saveOutbox(outbox: OutboxItem[]): Promise<void> {
    await writeSetting(this.dataSource.manager, OUTBOX_KEY, JSON.stringify(outbox), iso(this.clock()));
  }
}
