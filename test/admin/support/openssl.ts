import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Result of `openssl verify`. */
export interface VerifyOutcome {
  ok: boolean;
  output: string;
}

/** Runs `openssl verify` on a leaf against the root and issuing CA, optionally with a CRL check. */
export function opensslVerify(leafPem: string, rootPem: string, issuingPem: string, crlPem?: string): VerifyOutcome {
  const dir = mkdtempSync(join(tmpdir(), 'accord-verify-'));
  try {
    writeFileSync(join(dir, 'leaf.pem'), leafPem);
    writeFileSync(join(dir, 'root.pem'), rootPem);
    writeFileSync(join(dir, 'issuing.pem'), issuingPem);
    const args = ['verify', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'issuing.pem')];
    if (crlPem) {
      writeFileSync(join(dir, 'crl.pem'), crlPem);
      args.push('-crl_check', '-CRLfile', join(dir, 'crl.pem'));
    }
    args.push(join(dir, 'leaf.pem'));
    try {
      const output = execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      return { ok: true, output };
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string };
      return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `openssl crl -text` of a PEM CRL. */
export function opensslCrlText(crlPem: string): string {
  return execFileSync('openssl', ['crl', '-noout', '-text'], { input: crlPem, encoding: 'utf8' });
}
