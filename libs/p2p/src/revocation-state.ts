import { X509Certificate } from 'node:crypto';
import { subjectNameDer } from './certificate-facts.js';
import { parseCrlPem, type ParsedCrl } from './crl.js';

/**
 * The revocations a node knows of: the admin's published serial list (replaced whenever a newer
 * version is seen) plus any CRLs loaded. Pure state; the peer manager reacts to changes.
 */
export class RevocationState {
  private listVersion = -1;
  private listSerials: readonly string[] = [];
  private crls: readonly ParsedCrl[] = [];
  private union: ReadonlySet<string> = new Set();

  /** Version of the admin list last applied, -1 before the first. */
  get version(): number {
    return this.listVersion;
  }

  /** Every revoked serial (normalised), from the list and the CRLs. */
  get revokedSerials(): ReadonlySet<string> {
    return this.union;
  }

  /** Applies an admin list; returns false (and ignores it) when it is not newer than the current one. */
  applyList(version: number, serials: readonly string[]): boolean {
    if (version <= this.listVersion) return false;
    this.listVersion = version;
    this.listSerials = serials;
    this.recompute();
    return true;
  }

  /** Replaces the loaded CRLs with those in `pem` (one or more blocks). Throws P2P_CRL_FORMAT. */
  loadCrls(pem: string): void {
    this.crls = parseCrlPem(pem);
    this.recompute();
  }

  /**
   * The CRLs to hand to Node's `tls`, or undefined. Node checks CRLs for every CA of a chain once
   * any CRL is configured, so CRLs that do not cover every trusted CA would refuse every peer;
   * in that case revocation is enforced through {@link revokedSerials} alone.
   */
  crlsForTls(trustedCas: readonly X509Certificate[]): string[] | undefined {
    if (this.crls.length === 0) return undefined;
    const covered = trustedCas.every((ca) => {
      const subject = subjectNameDer(ca.raw);
      return this.crls.some((crl) => crl.issuerDer.equals(subject));
    });
    return covered ? this.crls.map((crl) => crl.pem) : undefined;
  }

  private recompute(): void {
    this.union = new Set([...this.listSerials, ...this.crls.flatMap((crl) => crl.revokedSerials)]);
  }
}
