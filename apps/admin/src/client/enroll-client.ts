import { generatePrivateKey, toHex } from '#chain';
import { AccordError } from '#common';
import { createKeyAndCsr, signEnrollmentProof } from '#pki';

/** What a member asks for when it enrolls. */
export interface EnrollOptions {
  /** Base URL of the admin app. */
  adminUrl: string;
  /** The one-time invitation token. */
  token: string;
  /** Display name of the member. */
  name: string;
  /** Organisation name requested in the CSR (the CA sets the final subject). */
  organization: string;
  /** Validators: node id, p2p `host:port` and REST base URL. */
  nodeId?: string;
  p2pAddress?: string;
  restUrl?: string;
  /** Existing secp256k1 account key (32-byte hex); a new one is generated when absent. */
  accountPrivateKeyHex?: string;
}

/** Everything the member keeps after enrolling. */
export interface Enrolled {
  enrollmentId: string;
  status: 'pending' | 'approved' | 'rejected';
  /** TLS private key (unencrypted PKCS#8 PEM): store it encrypted. */
  privateKeyPem: string;
  accountPrivateKeyHex: string;
  accountPublicKeyHex: string;
  /** Present once approved. */
  certificatePem: string | null;
  /** Issuing then root CA, once approved. */
  chainPems: string[];
}

interface EnrollmentResult {
  id: string;
  status: 'pending' | 'approved' | 'rejected';
  certificatePem: string | null;
  chainPems: string[];
  rejectReason: string | null;
}

async function json<T>(response: Response): Promise<T> {
  const text = await response.text();
  if (!response.ok) {
    let code = `HTTP_${response.status}`;
    try {
      code = (JSON.parse(text) as { code?: string }).code ?? code;
    } catch {
      // not a JSON error body
    }
    throw new AccordError(code, `enrollment failed: ${text.slice(0, 300)}`);
  }
  return JSON.parse(text) as T;
}

/**
 * The member side of onboarding: generates the TLS key and CSR locally, proves possession of
 * the account key over (token, CSR, key) and submits `POST /v1/enroll`. Private keys never
 * leave this process.
 */
export async function enrollWithToken(options: EnrollOptions): Promise<Enrolled> {
  const accountPrivateKeyHex = options.accountPrivateKeyHex ?? toHex(generatePrivateKey());
  const { privateKeyPem, csrPem } = await createKeyAndCsr({ commonName: options.nodeId ?? options.name.slice(0, 64), organization: options.organization });
  const proof = signEnrollmentProof({ token: options.token, csrPem, accountPrivateKeyHex });
  const body = {
    token: options.token,
    name: options.name,
    csrPem,
    accountPublicKey: proof.accountPublicKeyHex,
    proofSignature: proof.signatureHex,
    ...(options.nodeId ? { nodeId: options.nodeId, p2pAddress: options.p2pAddress, restUrl: options.restUrl } : {}),
  };
  const result = await json<EnrollmentResult>(await fetch(new URL('/v1/enroll', options.adminUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
  return { enrollmentId: result.id, status: result.status, privateKeyPem, accountPrivateKeyHex, accountPublicKeyHex: proof.accountPublicKeyHex, certificatePem: result.certificatePem, chainPems: result.chainPems };
}

/** Polls `GET /v1/enroll/:id` until the enrollment is decided or `timeoutMs` passes. */
export async function waitForCertificate(adminUrl: string, enrolled: Pick<Enrolled, 'enrollmentId'>, token: string, options: { timeoutMs?: number; intervalMs?: number } = {}): Promise<{ certificatePem: string; chainPems: string[] }> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const result = await json<EnrollmentResult>(await fetch(new URL(`/v1/enroll/${enrolled.enrollmentId}`, adminUrl), { headers: { 'x-enrollment-token': token } }));
    if (result.status === 'approved' && result.certificatePem) return { certificatePem: result.certificatePem, chainPems: result.chainPems };
    if (result.status === 'rejected') throw new AccordError('ENROLLMENT_REJECTED', `enrollment rejected: ${result.rejectReason ?? 'no reason given'}`);
    if (Date.now() >= deadline) throw new AccordError('ENROLLMENT_TIMEOUT', 'the enrollment was not decided in time');
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 1_000));
  }
}
