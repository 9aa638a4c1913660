import type { DataSource, EntityManager } from 'typeorm';
import { AuditEntryEntity } from '../db/entities/index.js';
import { iso, type Clock } from '../clock.js';
import { writeTransaction, type WriteLock } from '../db/write-lock.js';
import { auditRowHash, GENESIS_AUDIT_HASH, verifyAuditRows, type AuditRow, type AuditVerification } from './audit-chain.js';
import { canonicalJson } from './canonical-json.js';

/** What a caller records. */
export interface AuditEvent {
  actor: string;
  action: string;
  target: string;
  details?: Record<string, unknown>;
}

/** A page of the audit log, newest first. */
export interface AuditPage {
  total: number;
  entries: AuditRow[];
}

/**
 * Appends to and reads the hash-chained audit log. Appends hold the process write lock so that
 * sequence numbers stay gapless; the primary key on `seq` rejects a concurrent writer from
 * another process instead of forking the chain.
 */
export class AuditService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly lock: WriteLock,
    private readonly clock: Clock,
  ) {}

  /**
   * Records one event and returns the stored row. Given the manager of the caller's
   * transaction, the row commits (or rolls back) together with the change it describes.
   */
  record(event: AuditEvent, manager?: EntityManager): Promise<AuditRow> {
    return manager ? this.append(manager, event) : writeTransaction(this.lock, this.dataSource, (tx) => this.append(tx, event));
  }

  private async append(manager: EntityManager, event: AuditEvent): Promise<AuditRow> {
    {
      const repo = manager.getRepository(AuditEntryEntity);
      const [last] = await repo.find({ order: { seq: 'DESC' }, take: 1 });
      const fields = {
        seq: (last?.seq ?? 0) + 1,
        at: iso(this.clock()),
        actor: event.actor,
        action: event.action,
        target: event.target,
        details: canonicalJson(event.details ?? {}),
        prevHash: last?.hash ?? GENESIS_AUDIT_HASH,
      };
      const row: AuditRow = { ...fields, hash: auditRowHash(fields) };
      await repo.insert(row);
      return row;
    }
  }

  /** Newest-first page. */
  async page(offset: number, limit: number): Promise<AuditPage> {
    const repo = this.dataSource.getRepository(AuditEntryEntity);
    const [entries, total] = await repo.findAndCount({ order: { seq: 'DESC' }, skip: offset, take: limit });
    return { total, entries: entries.map(toRow) };
  }

  /** Re-reads the whole log and checks the chain. */
  async verify(): Promise<AuditVerification> {
    const rows = await this.dataSource.getRepository(AuditEntryEntity).find({ order: { seq: 'ASC' } });
    return verifyAuditRows(rows.map(toRow));
  }
}

function toRow(entity: AuditEntryEntity): AuditRow {
  return {
    seq: Number(entity.seq),
    at: entity.at,
    actor: entity.actor,
    action: entity.action,
    target: entity.target,
    details: entity.details,
    prevHash: entity.prevHash,
    hash: entity.hash,
  };
}
