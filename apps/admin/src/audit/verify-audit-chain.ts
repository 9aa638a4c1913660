import type { AdminConfig } from '../config.js';
import { systemClock } from '../clock.js';
import { openRegister } from '../db/data-source.js';
import { WriteLock } from '../db/write-lock.js';
import type { AuditVerification } from './audit-chain.js';
import { AuditService } from './audit.service.js';

/** Opens the register named by the config and verifies its audit hash chain. */
export async function verifyAuditChain(config: AdminConfig): Promise<AuditVerification> {
  const dataSource = await openRegister(config);
  try {
    return await new AuditService(dataSource, new WriteLock(), systemClock).verify();
  } finally {
    await dataSource.destroy();
  }
}
