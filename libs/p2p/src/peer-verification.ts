import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { VALIDATOR_URI_PREFIX, normalizeSerial, sanUris, spkiSha256 } from './certificate-facts.js';
import { isCrlProblem, reasonForTlsCode, type RefusalReason } from './refusal.js';
import type { ValidatorRegistry } from './validator-registry.js';

/** What a TLS handshake revealed about the peer. */
export interface PeerEvidence {
  /** OpenSSL verification result code, null when the chain verified. */
  readonly authorizationError: string | null;
  /** Certificates the peer sent, leaf first; empty when it sent none. */
  readonly chainDer: readonly Buffer[];
}

/** What a peer is checked against. */
export interface VerificationPolicy {
  readonly registry: ValidatorRegistry;
  readonly revokedSerials: ReadonlySet<string>;
  /** The consortium CA certificates (root and issuing). */
  readonly trustedCas: readonly X509Certificate[];
  /** Set when dialing: the validator we meant to reach. */
  readonly expectedNodeId?: string;
}

/** An accepted peer. */
export interface AcceptedPeer {
  readonly ok: true;
  readonly nodeId: string;
  /** Normalised serial of the certificate it presented (for revocation sweeps). */
  readonly serial: string;
  readonly spkiSha256: string;
}

/** A refused peer, with what can be logged about it (never key material). */
export interface RefusedPeer {
  readonly ok: false;
  readonly reason: RefusalReason;
  readonly detail: string;
  readonly serial?: string;
  readonly subject?: string;
}

/** Collects the evidence of a finished TLS handshake. */
export function peerEvidence(socket: TLSSocket): PeerEvidence {
  const chainDer: Buffer[] = [];
  let current = socket.getPeerCertificate(true);
  const seen = new Set<string>();
  while (current && current.raw && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chainDer.push(current.raw);
    current = current.issuerCertificate;
  }
  const error = socket.authorizationError as unknown;
  const code = error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : (error as string | null | undefined);
  return { authorizationError: socket.authorized ? null : (code ?? 'UNKNOWN'), chainDer };
}

/**
 * Decides whether the peer is a registered validator: the chain must verify against the
 * consortium CAs (including CRLs), the serial must not be revoked, the key must be a registered
 * validator's with the matching SAN, and when dialing it must be the validator we meant.
 */
export function verifyPeer(evidence: PeerEvidence, policy: VerificationPolicy): AcceptedPeer | RefusedPeer {
  if (evidence.chainDer.length === 0) {
    return { ok: false, reason: 'no_client_cert', detail: 'peer presented no certificate' };
  }
  const leaf = new X509Certificate(evidence.chainDer[0]);
  const serial = normalizeSerial(leaf.serialNumber);
  const known = { serial, subject: leaf.subject.replace(/\n/g, ', ') };
  const code = evidence.authorizationError;
  if (code) {
    // With CRL checking on, OpenSSL reports a missing CRL before noticing that a foreign chain
    // is not ours at all; tell the two apart so the reason is the useful one.
    const reason = isCrlProblem(code) && !chainsToTrustedCa(evidence.chainDer, policy.trustedCas) ? 'untrusted_chain' : reasonForTlsCode(code);
    return { ok: false, reason, detail: `certificate verification failed: ${code}`, ...known };
  }
  if (policy.revokedSerials.has(serial)) {
    return { ok: false, reason: 'revoked', detail: `serial ${serial} is on the revocation list`, ...known };
  }
  const fingerprint = spkiSha256(leaf);
  const validator = policy.registry.findByFingerprint(fingerprint);
  if (!validator) {
    return { ok: false, reason: 'not_a_validator', detail: `key ${fingerprint} is not a registered validator's`, ...known };
  }
  if (!sanUris(leaf).includes(VALIDATOR_URI_PREFIX + validator.nodeId)) {
    return { ok: false, reason: 'not_a_validator', detail: `certificate lacks SAN ${VALIDATOR_URI_PREFIX}${validator.nodeId}`, ...known };
  }
  if (policy.expectedNodeId !== undefined && validator.nodeId !== policy.expectedNodeId) {
    return { ok: false, reason: 'wrong_node_id', detail: `expected ${policy.expectedNodeId}, reached ${validator.nodeId}`, ...known };
  }
  return { ok: true, nodeId: validator.nodeId, serial, spkiSha256: fingerprint };
}

/** True when the leaf is signed by a trusted CA directly or through one intermediate the peer sent. */
export function chainsToTrustedCa(chainDer: readonly Buffer[], trustedCas: readonly X509Certificate[]): boolean {
  const chain = chainDer.map((der) => new X509Certificate(der));
  const issuedBy = (child: X509Certificate, parent: X509Certificate): boolean =>
    child.checkIssued(parent) && child.verify(parent.publicKey);
  const leaf = chain[0];
  if (trustedCas.some((ca) => issuedBy(leaf, ca))) return true;
  return chain.slice(1).some((intermediate) => issuedBy(leaf, intermediate) && trustedCas.some((ca) => issuedBy(intermediate, ca)));
}
