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
const SUBMIT_TIMEOUT_MS = 5_000;
const ROLE_NUMBER = { client: MemberRole.CLIENT, validator: MemberRole.VALIDATOR, 'org-admin': MemberRole.ORG_ADMIN } as const;

/** Sends one signed transaction to a validator; resolves when the validator accepted it. */
export type TransactionSubmitter = (restUrl: string, tx: Transaction) => Promise<void>;

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
 * The governance nonce advances only when a validator accepted the transaction.
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

  membershipChanged(actor: string, change: MembershipChange, member: MemberEntity): Promise<string | undefined> {
    return this.lock.run(() => this.send(actor, change, member));
  }

  private async send(actor: string, change: MembershipChange, member: MemberEntity): Promise<string | undefined> {
    const frozen = await this.genesis.current();
    if (!frozen) return undefined;
    const organisation = await this.dataSource.getRepository(OrganisationEntity).findOneByOrFail({ id: member.organisationId });
    const nonce = BigInt((await readSetting(this.dataSource.manager, NONCE_KEY)) ?? '0');
    const tx = Transaction.sign(
      { chainId: frozen.genesis.chainId, sender: fromHex(this.vault.governancePublicKeyHex)!, nonce, payload: governancePayload(change, member, organisation.name) },
      this.vault.governancePrivateKey(),
    );
    const validators = await this.dataSource.getRepository(MemberEntity).find({ where: { role: 'validator', status: 'active' }, order: { nodeId: 'ASC' } });
    const failures: string[] = [];
    for (const validator of validators) {
      if (!validator.restUrl) continue;
      try {
        await this.submit(validator.restUrl, tx);
        await writeSetting(this.dataSource.manager, NONCE_KEY, String(nonce + 1n), iso(this.clock()));
        return tx.hashHex;
      } catch (error) {
        failures.push(`${validator.nodeId}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    await this.audit.record({ actor, action: `governance.${change}-failed`, target: `member:${member.id}`, details: { txHash: tx.hashHex, nonce: nonce.toString(), failures } });
    return undefined;
  }
}
