import type { DataSource, EntityManager } from 'typeorm';
import { createCrl } from '#pki';
import type { KeyVault } from '../ca/key-vault.js';
import { iso, type Clock } from '../clock.js';
import { CertificateEntity } from '../db/entities/index.js';
import { readSetting, writeSetting } from '../db/settings.js';
import { writeTransaction, type WriteLock } from '../db/write-lock.js';
import type { RevocationReason } from './revocation-reasons.js';

/** What validators poll: every revoked serial and a version that grows on every change. */
export interface RevocationList {
  version: number;
  updatedAt: string;
  serials: string[];
}

const VERSION_KEY = 'revocations.version';
const UPDATED_KEY = 'revocations.updatedAt';
const CRL_NUMBER_KEY = 'crl.number';
const CRL_PEM_KEY = 'crl.pem';
const CRL_NEXT_UPDATE_KEY = 'crl.nextUpdate';

/**
 * The revocation state: the version counter, the serial list and the signed CRL. The CRL is
 * re-signed on every revocation and again when it comes within a quarter of its validity of
 * `nextUpdate`, so a relying party never sees a stale one.
 */
export class RevocationService {
  private crlRefresh?: Promise<string>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly lock: WriteLock,
    private readonly vault: KeyVault,
    private readonly clock: Clock,
    private readonly crlValidityMs: number,
  ) {}

  /** The current version alone: enough to answer a poller whose ETag is still current. */
  async version(): Promise<number> {
    return Number((await readSetting(this.dataSource.manager, VERSION_KEY)) ?? '0');
  }

  /** Current revocation list (one query for the serials and two settings). */
  async list(): Promise<RevocationList> {
    const manager = this.dataSource.manager;
    const revoked = await manager.getRepository(CertificateEntity).find({ where: { status: 'revoked' }, select: { serial: true }, order: { serial: 'ASC' } });
    return {
      version: Number((await readSetting(manager, VERSION_KEY)) ?? '0'),
      updatedAt: (await readSetting(manager, UPDATED_KEY)) ?? iso(new Date(0)),
      serials: revoked.map((row) => row.serial),
    };
  }

  /** Marks a change inside the caller's transaction (after the certificate row was updated). */
  async bumpVersion(manager: EntityManager): Promise<number> {
    const version = Number((await readSetting(manager, VERSION_KEY)) ?? '0') + 1;
    const now = iso(this.clock());
    await writeSetting(manager, VERSION_KEY, String(version), now);
    await writeSetting(manager, UPDATED_KEY, now, now);
    // Until the CRL is re-signed it is stale: if signing fails after this commits, the next
    // GET /v1/crl signs a fresh one instead of serving a CRL without this revocation.
    await writeSetting(manager, CRL_NEXT_UPDATE_KEY, iso(new Date(0)), now);
    return version;
  }

  /** Signs a new CRL from the register and stores it. */
  async regenerateCrl(): Promise<string> {
    return writeTransaction(this.lock, this.dataSource, async (manager) => {
      const revoked = await manager.getRepository(CertificateEntity).find({ where: { status: 'revoked' }, order: { serial: 'ASC' } });
      const crlNumber = Number((await readSetting(manager, CRL_NUMBER_KEY)) ?? '0') + 1;
      const thisUpdate = this.clock();
      const nextUpdate = new Date(thisUpdate.getTime() + this.crlValidityMs);
      const pem = await createCrl({
        issuer: this.vault.issuer(),
        revoked: revoked.map((row) => ({
          serialHex: row.serial,
          revokedAt: new Date(row.revokedAt ?? row.createdAt),
          reason: (row.revocationReason ?? 'unspecified') as RevocationReason,
        })),
        crlNumber,
        thisUpdate,
        nextUpdate,
      });
      const now = iso(thisUpdate);
      await writeSetting(manager, CRL_NUMBER_KEY, String(crlNumber), now);
      await writeSetting(manager, CRL_PEM_KEY, pem, now);
      await writeSetting(manager, CRL_NEXT_UPDATE_KEY, iso(nextUpdate), now);
      return pem;
    });
  }

  /** The current CRL, re-signed first when missing or close to `nextUpdate`. */
  async currentCrl(): Promise<string> {
    const manager = this.dataSource.manager;
    const pem = await readSetting(manager, CRL_PEM_KEY);
    const nextUpdate = await readSetting(manager, CRL_NEXT_UPDATE_KEY);
    const refreshAtMs = nextUpdate ? new Date(nextUpdate).getTime() - this.crlValidityMs / 4 : 0;
    if (pem && this.clock().getTime() < refreshAtMs) return pem;
    // Concurrent pollers share one signing run.
    this.crlRefresh ??= this.regenerateCrl().finally(() => {
      this.crlRefresh = undefined;
    });
    return this.crlRefresh;
  }
}
