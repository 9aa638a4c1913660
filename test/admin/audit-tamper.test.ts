import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAuditVerify, type CliOutput } from '../../apps/admin/src/cli.js';
import { sqlitePath } from '../../apps/admin/src/db/data-source.js';
import { startAdminFixture, type AdminFixture } from './support/admin-fixture.js';

function collector(): CliOutput & { lines: string[] } {
  const lines: string[] = [];
  return { lines, log: (line) => lines.push(line), error: (line) => lines.push(line) };
}

describe('audit hash chain', () => {
  let fx: AdminFixture;
  let dbFile: string;

  beforeAll(async () => {
    fx = await startAdminFixture();
    for (const name of ['Org One', 'Org Two', 'Org Three']) expect((await fx.call('POST', '/v1/organisations', { name })).status).toBe(201);
    const verified = await fx.call('GET', '/v1/audit/verify');
    expect(verified.body).toMatchObject({ ok: true });
    await fx.running.close();
    dbFile = sqlitePath(fx.dataDir);
  });
  afterAll(() => {
    rmSync(fx.dataDir, { recursive: true, force: true });
  });

  it('is intact after normal use (CLI exit code 0)', async () => {
    const out = collector();
    expect(await runAuditVerify({ dataDir: fx.dataDir }, out)).toBe(0);
    expect(out.lines.join('\n')).toMatch(/intact: \d+ rows/);
  });

  it('detects an edited row', async () => {
    const db = new Database(dbFile);
    const row = db.prepare(`SELECT seq, details FROM audit_log WHERE action = 'organisation.created' ORDER BY seq LIMIT 1`).get() as { seq: number; details: string };
    db.prepare('UPDATE audit_log SET details = ? WHERE seq = ?').run(row.details.replace('Org One', 'Org 0ne'), row.seq);
    db.close();
    const out = collector();
    expect(await runAuditVerify({ dataDir: fx.dataDir }, out)).toBe(1);
    expect(out.lines.join('\n')).toContain(`BROKEN at seq ${row.seq}: HASH_MISMATCH`);
    // Put it back: the chain verifies again, so the next check sees only the deletion.
    const restore = new Database(dbFile);
    restore.prepare('UPDATE audit_log SET details = ? WHERE seq = ?').run(row.details, row.seq);
    restore.close();
    expect(await runAuditVerify({ dataDir: fx.dataDir }, collector())).toBe(0);
  });

  it('detects a deleted row', async () => {
    const db = new Database(dbFile);
    const { seq } = db.prepare(`SELECT seq FROM audit_log WHERE action = 'organisation.created' ORDER BY seq DESC LIMIT 1 OFFSET 1`).get() as { seq: number };
    db.prepare('DELETE FROM audit_log WHERE seq = ?').run(seq);
    db.close();
    const out = collector();
    expect(await runAuditVerify({ dataDir: fx.dataDir }, out)).toBe(1);
    expect(out.lines.join('\n')).toContain(`BROKEN at seq ${seq}: SEQ_GAP`);
  });

  it('detects a deleted row whose successors were renumbered', async () => {
    const db = new Database(dbFile);
    const rows = db.prepare('SELECT seq FROM audit_log ORDER BY seq').all() as { seq: number }[];
    // Close the gap left by the previous test by shifting later rows down.
    for (const [index, row] of rows.entries()) {
      if (row.seq !== index + 1) db.prepare('UPDATE audit_log SET seq = ? WHERE seq = ?').run(index + 1, row.seq);
    }
    db.close();
    const out = collector();
    expect(await runAuditVerify({ dataDir: fx.dataDir }, out)).toBe(1);
    expect(out.lines.join('\n')).toMatch(/BROKEN at seq \d+: (PREV_HASH_MISMATCH|HASH_MISMATCH)/);
  });
});
