import { checkCommitCertificate, type CommittedBlock, type PbftVerificationContext } from '#consensus';
import { simBlockDigest } from './sim-app.js';

/**
 * Safety checks run on every commit of every honest replica: one block per height network-wide,
 * strictly consecutive heights per replica, a digest that matches the bytes, and a commit
 * certificate that verifies. The first violation is kept and stops the run.
 */
export class SafetyChecker {
  private readonly agreed = new Map<number, { digest: string; by: string }>();
  private readonly lastHeight = new Map<string, number>();
  violation: string | undefined;

  constructor(private readonly context: PbftVerificationContext) {}

  /** Records `block` committed by honest replica `nodeId` at simulation tick `tick`. */
  onCommit(nodeId: string, block: CommittedBlock, tick: number): void {
    if (this.violation !== undefined) return;
    const previous = this.lastHeight.get(nodeId) ?? 0;
    if (block.height !== previous + 1) {
      return this.fail(`tick ${tick}: ${nodeId} committed height ${block.height} after ${previous}`);
    }
    this.lastHeight.set(nodeId, block.height);
    const digest = hex(block.digest);
    if (hex(simBlockDigest(block.block)) !== digest) return this.fail(`tick ${tick}: ${nodeId} committed bytes that do not hash to the digest at ${block.height}`);
    const certificate = checkCommitCertificate(this.context, block.height, block.digest, block.certificate);
    if (!certificate.ok) return this.fail(`tick ${tick}: ${nodeId} committed height ${block.height} with an invalid certificate (${certificate.code})`);
    const agreed = this.agreed.get(block.height);
    if (agreed === undefined) this.agreed.set(block.height, { digest, by: nodeId });
    else if (agreed.digest !== digest) {
      this.fail(`tick ${tick}: divergence at height ${block.height}: ${agreed.by} committed ${agreed.digest.slice(0, 12)}, ${nodeId} committed ${digest.slice(0, 12)}`);
    }
  }

  private fail(message: string): void {
    this.violation ??= `safety: ${message}`;
  }
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
