import { createHash } from 'node:crypto';

/** The hash a chain starts from (the `prevHash` of row 1). */
export const GENESIS_AUDIT_HASH = '0'.repeat(64);

/** The fields of an audit row that its hash covers. */
export interface AuditFields {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  /** Canonical JSON of the details. */
  details: string;
  prevHash: string;
}

/** An audit row with its hash. */
export interface AuditRow extends AuditFields {
  hash: string;
}

/**
 * SHA-256 over the canonical fields: a JSON array in a fixed order (so that no field can bleed
 * into another), prefixed with a domain tag.
 */
export function auditRowHash(fields: AuditFields): string {
  const payload = JSON.stringify([fields.seq, fields.at, fields.actor, fields.action, fields.target, fields.details, fields.prevHash]);
  return createHash('sha256').update(`accord/audit/v1\n${payload}`).digest('hex');
}

/** Outcome of checking the chain. */
export type AuditVerification =
  | { ok: true; rows: number; headHash: string }
  | { ok: false; rows: number; brokenAtSeq: number; problem: 'SEQ_GAP' | 'PREV_HASH_MISMATCH' | 'HASH_MISMATCH' };

/**
 * Checks rows in sequence order: gapless sequence from 1 (a deleted row), each `prevHash`
 * equal to the previous row's hash, and each hash recomputed from the fields (an edited row).
 */
export function verifyAuditRows(rows: readonly AuditRow[]): AuditVerification {
  let prevHash = GENESIS_AUDIT_HASH;
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index]!;
    if (row.seq !== index + 1) return { ok: false, rows: rows.length, brokenAtSeq: index + 1, problem: 'SEQ_GAP' };
    if (row.prevHash !== prevHash) return { ok: false, rows: rows.length, brokenAtSeq: row.seq, problem: 'PREV_HASH_MISMATCH' };
    if (auditRowHash(row) !== row.hash) return { ok: false, rows: rows.length, brokenAtSeq: row.seq, problem: 'HASH_MISMATCH' };
    prevHash = row.hash;
  }
  return { ok: true, rows: rows.length, headHash: prevHash };
}
