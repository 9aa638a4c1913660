import { CertificateEntity } from '../db/entities/index.js';

/** Days before notAfter from which a certificate is flagged as expiring soon. */
export const EXPIRES_SOON_DAYS = 30;

/** A certificate as the API shows it. */
export interface CertificateView {
  serial: string;
  memberId: string;
  profile: string;
  status: string;
  notBefore: string;
  notAfter: string;
  spkiSha256: string;
  fingerprintSha256: string;
  revocationReason: string | null;
  revokedAt: string | null;
  createdAt: string;
  expiresSoon: boolean;
  pem: string;
}

/** Maps a row to its view; `expiresSoon` is true for active certificates within 30 days of expiry. */
export function toCertificateView(row: CertificateEntity, now: Date): CertificateView {
  const msLeft = new Date(row.notAfter).getTime() - now.getTime();
  return {
    serial: row.serial,
    memberId: row.memberId,
    profile: row.profile,
    status: row.status,
    notBefore: row.notBefore,
    notAfter: row.notAfter,
    spkiSha256: row.spkiSha256,
    fingerprintSha256: row.fingerprintSha256,
    revocationReason: row.revocationReason,
    revokedAt: row.revokedAt,
    createdAt: row.createdAt,
    expiresSoon: row.status === 'active' && msLeft < EXPIRES_SOON_DAYS * 24 * 3600_000,
    pem: row.pem,
  };
}
