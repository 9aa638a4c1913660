import type { DataSource } from 'typeorm';
import { bulkInsert, fromBase64, qualifiedTable, toBase64 } from '#ledger';
import type { PbftPersistentState } from '../pbft/replica-types.js';
import { decodePbftPersistentState, encodePbftPersistentState } from '../pbft/state-codec.js';

/**
 * The PBFT replica's persistent state in the ledger's database: one row of table `pbft_state`
 * holding the encoded `PbftPersistentState` (view, votes, prepared certificates, stable
 * checkpoint), overwritten by every Ready that asks to persist, before its messages go out.
 */
export class SqlPbftStorage {
  constructor(private readonly dataSource: DataSource) {}

  /** The state persisted by the last run, if any; throws the decode error on a corrupt row. */
  async load(): Promise<PbftPersistentState | undefined> {
    const rows = (await this.dataSource.query(`SELECT state FROM ${qualifiedTable(this.dataSource, 'pbft_state')} WHERE id = 1`)) as Array<{ state: string }>;
    if (!rows[0]) return undefined;
    const decoded = decodePbftPersistentState(fromBase64(rows[0].state));
    if (!decoded.ok) throw decoded.error;
    return decoded.state;
  }

  /** Durably replaces the persisted state. */
  async save(state: PbftPersistentState): Promise<void> {
    const encoded = toBase64(encodePbftPersistentState(state));
    await this.dataSource.transaction(async (manager) => {
      await bulkInsert(manager, 'pbft_state', ['id', 'state'], [[1, encoded]], { kind: 'update', keys: ['id'], columns: ['state'] });
    });
  }
}
