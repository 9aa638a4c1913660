import type { DataSource } from 'typeorm';
import { addressOf, formatAddress, fromHex, MemberRole, Transaction, TxType, type TxPayload } from '#chain';
import { AccordError, HttpAccordError } from '#common';
import type { AuditService } from '../audit/audit.service.js';
import type { KeyVault } from '../ca/key-vault.js';
import { iso, type Clock } from '../clock.js';
import { MemberEntity, OrganisationEntity } from '../db/entities/index.js';
import { readSetting, writeSetting } from '../db/settings.js';
import type { WriteLock } from '../db/write-lock.js';
import type { MembershipChange, MembershipListener } from '../register/membership-events.js';
import type { GenesisService } from './genesis.service.js';
import { nodeChangePayload, type NodeChangeKind } from './node-change.js';

const NONCE_KEY = 'governance.nonce';
const OUTBOX_KEY = 'governance.outbox';
const LAST_NODE_CHANGE_KEY = 'governance.last-node-change';
const SUBMIT_TIMEOUT_MS = 5_000;
const ROLE_NUMBER = { client: MemberRole.CLIENT, validator: MemberRole.VALIDATOR, 'org-admin': MemberRole.ORG_ADMIN } as const;

/** Sends one signed transaction to a validator; resolves when the validator accepted it. */
export type TransactionSubmitter = (restUrl: string, tx: Transaction) => Promise<void>;

/** Reads an account's next nonce from a validator. */
export type NonceReader = (restUrl: string, address: string) => Promise<bigint>;

/** Validator refusals meaning "this very transaction is already in": treated as accepted. */
const ALREADY_THERE = new Set(['TX_DUPLICATE', 'TX_ALREADY_COMMITTED']);

interface QueuedChange {
  actor: string;
  queuedAt: string;
}

/** A membership change waiting to reach the chain. */
export interface MembershipItem extends QueuedChange {
  change: MembershipChange;
  memberId: string;
}

/** A node-set change waiting to reach the chain. */
export interface NodeChangeItem extends QueuedChange {
  change: NodeChangeKind;
  nodeId: string;
  /** node-add: the enrolled validator member the NODE_ADD is built from. */
  memberId?: string;
  /** node-add: the role the node joins with. */
  role?: 'learner' | 'observer';
}

/** A governance change waiting to reach the chain. */
export type OutboxItem = MembershipItem | NodeChangeItem;

/** Whether a queued item changes the node set. */
export function isNodeChangeItem(item: OutboxItem): item is NodeChangeItem {
  return item.change.startsWith('node-');
}

/** A node-set change a validator accepted: the one whose commit the next change waits for. */
export interface SubmittedNodeChange {
  change: NodeChangeKind;
  nodeId: string;
  txHash: string;
  nonce: string;
  submittedAt: string;
}

/** A validator's definitive answer that a transaction is not valid (not a transport failure). */
export interface ValidatorRefusal {
  status: number;
  code: string;
  message: string;
}

/** What became of a node-set change handed to the outbox. */
export type NodeChangeOutcome =
  | { status: 'submitted'; txHash: string; nonce: string }
  | { status: 'queued' }
  | { status: 'refused'; refusal: ValidatorRefusal };

interface FlushResult {
  /** Outbox index → accepted transaction. */
  sent: Map<number, { txHash: string; nonce: string }>;
  /** Outbox index → why a node change was dropped. */
  refused: Map<number, ValidatorRefusal>;
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
  let message = `HTTP ${response.status}: ${text.slice(0, 200)}`;
  try {
    const body = JSON.parse(text) as { code?: string; message?: string };
    code = body.code ?? code;
    message = body.message ?? message;
  } catch {
    // not a JSON error body
  }
  throw new HttpAccordError(response.status, code, message);
};

/**
 * The refusal in `error` when a validator judged the transaction itself (a 4xx with a code of
 * its own); undefined for transport failures, back-pressure and nonce disagreements, which a
 * retry or a resync can cure.
 */
export function definitiveRefusal(error: unknown): ValidatorRefusal | undefined {
  if (!(error instanceof HttpAccordError) || error.status < 400 || error.status >= 500 || error.status === 408 || error.status === 429) return undefined;
  if (error.code.startsWith('HTTP_') || error.code.startsWith('NONCE_')) return undefined;
  return { status: error.status, code: error.code, message: error.message };
}

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
 * sees a reinstate before its suspend. The nonce advances only on acceptance. Node-set
 * changes (NODE_ADD, NODE_PROMOTE, NODE_REMOVE) share the outbox and the nonce.
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
      const { sent } = await this.flushLocked();
      return sent.get(outbox.length - 1)?.txHash;
    });
  }

  /**
   * Queues a node-set change behind whatever is queued and flushes. A change some validator
   * refuses outright is dropped from the outbox (audited) and its refusal returned, so a change
   * the chain will never take does not hold up the ones after it.
   */
  nodeSetChanged(actor: string, change: Omit<NodeChangeItem, 'actor' | 'queuedAt'>): Promise<NodeChangeOutcome> {
    return this.lock.run(async () => {
      if (!(await this.genesis.current())) throw new AccordError('GENESIS_NOT_READY', 'node changes are sent to the chain, which starts from the genesis');
      const outbox = await this.outbox();
      outbox.push({ ...change, actor, queuedAt: iso(this.clock()) });
      await this.saveOutbox(outbox);
      const { sent, refused } = await this.flushLocked();
      const index = outbox.length - 1;
      const refusal = refused.get(index);
      if (refusal) return { status: 'refused', refusal };
      const accepted = sent.get(index);
      return accepted ? { status: 'submitted', ...accepted } : { status: 'queued' };
    });
  }

  /** The last node-set change a validator accepted, if any. */
  async lastNodeChange(): Promise<SubmittedNodeChange | undefined> {
    const stored = await readSetting(this.dataSource.manager, LAST_NODE_CHANGE_KEY);
    return stored ? (JSON.parse(stored) as SubmittedNodeChange) : undefined;
  }

  /** Retries whatever is queued (called periodically). Returns how many transactions were accepted. */
  async flush(): Promise<number> {
    return this.lock.run(async () => (await this.flushLocked()).sent.size);
  }

  /** Changes still waiting for a validator to accept them. */
  async pending(): Promise<OutboxItem[]> {
    return this.outbox();
  }

  /**
   * Sends queued items in order; stops at the first one no validator accepts, except that a
   * node change a validator refuses outright is dropped (it can never succeed as it is).
   */
  private async flushLocked(): Promise<FlushResult> {
    const result: FlushResult = { sent: new Map(), refused: new Map() };
    const frozen = await this.genesis.current();
    if (!frozen) return result;
    const outbox = await this.outbox();
    let index = 0;
    let resynced = false;
    while (index < outbox.length) {
      const item = outbox[index]!;
      const target = isNodeChangeItem(item) ? `node:${item.nodeId}` : `member:${item.memberId}`;
      const nonce = BigInt((await readSetting(this.dataSource.manager, NONCE_KEY)) ?? '0');
      let tx: Transaction;
      try {
        tx = await this.buildTransaction(frozen.genesis.chainId, item, nonce);
      } catch (error) {
        // The register changed while a node change waited (e.g. its certificate was revoked).
        if (!isNodeChangeItem(item) || !(error instanceof AccordError)) throw error;
        const refusal = { status: 409, code: error.code, message: error.message };
        await this.audit.record({ actor: item.actor, action: `governance.${item.change}-refused`, target, details: { code: refusal.code, message: refusal.message } });
        result.refused.set(index++, refusal);
        continue;
      }
      const outcome = await this.submitToAnyValidator(tx);
      if (outcome.nonceBehind && !resynced && (await this.resyncNonce(outcome.nonceBehind, nonce))) {
        // The chain had already used this nonce (e.g. the register was restored): rebuild and retry once.
        resynced = true;
        continue;
      }
      resynced = false;
      if (!outcome.accepted && outcome.refusal && isNodeChangeItem(item)) {
        await this.audit.record({ actor: item.actor, action: `governance.${item.change}-refused`, target, details: { txHash: tx.hashHex, nonce: nonce.toString(), code: outcome.refusal.code, failures: outcome.failures } });
        result.refused.set(index++, outcome.refusal);
        continue;
      }
      if (!outcome.accepted) {
        await this.audit.record({ actor: item.actor, action: `governance.${item.change}-failed`, target, details: { txHash: tx.hashHex, nonce: nonce.toString(), failures: outcome.failures } });
        break;
      }
      const now = iso(this.clock());
      await writeSetting(this.dataSource.manager, NONCE_KEY, String(nonce + 1n), now);
      if (isNodeChangeItem(item)) {
        const submitted: SubmittedNodeChange = { change: item.change, nodeId: item.nodeId, txHash: tx.hashHex, nonce: nonce.toString(), submittedAt: now };
        await writeSetting(this.dataSource.manager, LAST_NODE_CHANGE_KEY, JSON.stringify(submitted), now);
      }
      await this.audit.record({ actor: item.actor, action: `governance.${item.change}`, target, details: { txHash: tx.hashHex, nonce: nonce.toString() } });
      result.sent.set(index++, { txHash: tx.hashHex, nonce: nonce.toString() });
    }
    if (index > 0) await this.saveOutbox(outbox.slice(index));
    return result;
  }

  private async buildTransaction(chainId: string, item: OutboxItem, nonce: bigint): Promise<Transaction> {
    const payload = isNodeChangeItem(item) ? await nodeChangePayload(this.dataSource.manager, item) : await this.membershipPayload(item);
    return Transaction.sign({ chainId, sender: fromHex(this.vault.governancePublicKeyHex)!, nonce, payload }, this.vault.governancePrivateKey());
  }

  private async membershipPayload(item: MembershipItem): Promise<TxPayload> {
    const member = await this.dataSource.getRepository(MemberEntity).findOneByOrFail({ id: item.memberId });
    const organisation = await this.dataSource.getRepository(OrganisationEntity).findOneByOrFail({ id: member.organisationId });
    return governancePayload(item.change, member, organisation.name);
  }

  /** Tries each active validator in node-id order until one accepts the transaction. */
  private async submitToAnyValidator(tx: Transaction): Promise<{ accepted: boolean; failures: string[]; nonceBehind?: string; refusal?: ValidatorRefusal }> {
    const validators = await this.dataSource.getRepository(MemberEntity).find({ where: { role: 'validator', status: 'active' }, order: { nodeId: 'ASC' } });
    const failures: string[] = [];
    let nonceBehind: string | undefined;
    let refusal: ValidatorRefusal | undefined;
    for (const validator of validators) {
      if (!validator.restUrl) continue;
      try {
        await this.submit(validator.restUrl, tx);
        return { accepted: true, failures };
      } catch (error) {
        const code = error instanceof AccordError ? error.code : undefined;
        if (code && ALREADY_THERE.has(code)) return { accepted: true, failures };
        if (code === 'NONCE_REPLAY') nonceBehind ??= validator.restUrl;
        refusal ??= definitiveRefusal(error);
        failures.push(`${validator.nodeId}: ${code ? `${code}: ` : ''}${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (failures.length === 0) failures.push('no active validator with a REST URL');
    return { accepted: false, failures, nonceBehind, refusal };
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
