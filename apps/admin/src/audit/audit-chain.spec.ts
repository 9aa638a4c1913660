import { describe, expect, it } from 'vitest';
import { auditRowHash, GENESIS_AUDIT_HASH, verifyAuditRows, type AuditRow } from './audit-chain.js';
import { canonicalJson } from './canonical-json.js';

function chain(count: number): AuditRow[] {
  const rows: AuditRow[] = [];
  let prevHash = GENESIS_AUDIT_HASH;
  for (let seq = 1; seq <= count; seq++) {
    const fields = { seq, at: `2026-01-01T00:00:0${seq}.000Z`, actor: 'admin', action: 'organisation.created', target: `organisation:${seq}`, details: canonicalJson({ n: seq }), prevHash };
    const row = { ...fields, hash: auditRowHash(fields) };
    rows.push(row);
    prevHash = row.hash;
  }
  return rows;
}

describe('audit chain', () => {
  it('verifies an intact chain and reports its head', () => {
    const rows = chain(4);
    expect(verifyAuditRows(rows)).toEqual({ ok: true, rows: 4, headHash: rows[3]!.hash });
    expect(verifyAuditRows([])).toEqual({ ok: true, rows: 0, headHash: GENESIS_AUDIT_HASH });
  });

  it('detects an edited field in any position', () => {
    for (const field of ['at', 'actor', 'action', 'target', 'details'] as const) {
      const rows = chain(3);
      rows[1] = { ...rows[1]!, [field]: `${rows[1]![field]}x` };
      expect(verifyAuditRows(rows)).toMatchObject({ ok: false, brokenAtSeq: 2, problem: 'HASH_MISMATCH' });
    }
  });

  it('detects a deleted row, and a deletion hidden by renumbering', () => {
    const rows = chain(4);
    expect(verifyAuditRows([rows[0]!, rows[2]!, rows[3]!])).toMatchObject({ ok: false, brokenAtSeq: 2, problem: 'SEQ_GAP' });
    const renumbered = [rows[0]!, { ...rows[2]!, seq: 2 }, { ...rows[3]!, seq: 3 }];
    expect(verifyAuditRows(renumbered)).toMatchObject({ ok: false, brokenAtSeq: 2, problem: 'PREV_HASH_MISMATCH' });
  });

  it('detects a row rehashed after editing (its successor no longer links)', () => {
    const rows = chain(3);
    const edited = { ...rows[1]!, actor: 'mallory' };
    rows[1] = { ...edited, hash: auditRowHash(edited) };
    expect(verifyAuditRows(rows)).toMatchObject({ ok: false, brokenAtSeq: 3, problem: 'PREV_HASH_MISMATCH' });
  });

  it('keeps fields from bleeding into each other', () => {
    const base = { seq: 1, at: 't', actor: 'ab', action: 'c', target: 'd', details: '{}', prevHash: GENESIS_AUDIT_HASH };
    expect(auditRowHash(base)).not.toBe(auditRowHash({ ...base, actor: 'a', action: 'bc' }));
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"e":2,"f":1}]},"b":1}');
    expect(canonicalJson({ x: 'é"' })).toBe(JSON.stringify({ x: 'é"' }));
  });
});
