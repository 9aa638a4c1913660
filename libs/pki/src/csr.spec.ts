import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { isAccordError } from '#common';
import { createKeyAndCsr, parseCsr, spkiSha256, type KeyAndCsr } from '#pki';

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return isAccordError(error) ? error.code : `non-AccordError: ${String(error)}`;
  }
  return undefined;
}

function csrDer(csrPem: string): Buffer {
  return Buffer.from(forge.pem.decode(csrPem)[0].body, 'binary');
}

function derToCsrPem(der: Buffer): string {
  return forge.pem.encode({ type: 'CERTIFICATE REQUEST', body: der.toString('binary') });
}

describe('createKeyAndCsr / parseCsr', () => {
  let request: KeyAndCsr;
  let other: KeyAndCsr;

  beforeAll(async () => {
    [request, other] = await Promise.all([
      createKeyAndCsr({ commonName: 'validator-7', organization: 'Zürich Bank AG', organizationalUnit: 'validator' }),
      createKeyAndCsr({ commonName: 'validator-8', organization: 'Other Org' }),
    ]);
  });

  it('round-trips the requested subject and binds the CSR to the generated key', () => {
    const parsed = parseCsr(request.csrPem);
    expect(parsed.commonName).toBe('validator-7');
    expect(parsed.organization).toBe('Zürich Bank AG');
    expect(parsed.organizationalUnit).toBe('validator');
    expect(parsed.keyBits).toBe(2048);
    expect(parsed.spkiSha256).toBe(spkiSha256(request.privateKeyPem));
    expect(parsed.spkiSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(spkiSha256(parsed.publicKeyPem)).toBe(parsed.spkiSha256);
  });

  it('rejects a CSR whose signed subject was altered with CSR_SIGNATURE', () => {
    const der = csrDer(request.csrPem);
    const at = der.indexOf(Buffer.from('validator-7'));
    expect(at).toBeGreaterThan(0);
    der[at + 10] = '9'.charCodeAt(0);
    expect(codeOf(() => parseCsr(derToCsrPem(der)))).toBe('CSR_SIGNATURE');
  });

  it('rejects a CSR whose public key was swapped for another with CSR_SIGNATURE', () => {
    const victim = forge.pki.certificationRequestFromPem(request.csrPem);
    const attacker = forge.pki.certificationRequestFromPem(other.csrPem);
    const asn1 = forge.pki.certificationRequestToAsn1(victim);
    const info = asn1.value[0] as forge.asn1.Asn1;
    (info.value as forge.asn1.Asn1[])[2] = forge.pki.publicKeyToAsn1(attacker.publicKey as forge.pki.PublicKey);
    const swapped = Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
    expect(codeOf(() => parseCsr(derToCsrPem(swapped)))).toBe('CSR_SIGNATURE');
  });

  it('rejects garbage and truncated input with CSR_INVALID', () => {
    expect(codeOf(() => parseCsr('not a csr'))).toBe('CSR_INVALID');
    expect(codeOf(() => parseCsr(derToCsrPem(csrDer(request.csrPem).subarray(0, 200))))).toBe('CSR_INVALID');
    expect(codeOf(() => parseCsr(derToCsrPem(Buffer.from('0badc0de', 'hex'))))).toBe('CSR_INVALID');
  });

  it('rejects a correctly signed CSR with a 1024-bit key with CSR_WEAK_KEY', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const key = forge.pki.privateKeyFromPem(privateKey);
    const csr = forge.pki.createCertificationRequest();
    csr.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
    csr.setSubject([{ shortName: 'CN', value: 'weak' }]);
    csr.sign(key, forge.md.sha256.create());
    expect(codeOf(() => parseCsr(forge.pki.certificationRequestToPem(csr)))).toBe('CSR_WEAK_KEY');
  });

  it('refuses to generate keys below 2048 bits and blank names', async () => {
    await expect(createKeyAndCsr({ commonName: 'x', organization: 'o', keyBits: 1024 })).rejects.toMatchObject({ code: 'PARAM_INVALID' });
    await expect(createKeyAndCsr({ commonName: ' ', organization: 'o' })).rejects.toMatchObject({ code: 'SUBJECT_INVALID' });
  });
});
