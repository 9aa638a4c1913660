import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createConsortiumCa,
  createKeyAndCsr,
  issueCertificate,
  parseCertificate,
  renewCertificate,
  spkiSha256,
  type ConsortiumCa,
  type KeyAndCsr,
} from '#pki';

const NOW = new Date('2026-03-01T12:00:00Z');

describe('createConsortiumCa', () => {
  let ca: ConsortiumCa;
  beforeAll(async () => {
    ca = await createConsortiumCa({ name: 'Acme Consortium', now: NOW });
  });

  it('creates a self-signed root of at least 3072 bits with critical CA:true', () => {
    const root = new X509Certificate(ca.root.certPem);
    expect(root.publicKey.asymmetricKeyDetails?.modulusLength).toBeGreaterThanOrEqual(3072);
    expect(root.ca).toBe(true);
    expect(root.verify(root.publicKey)).toBe(true);
    expect(root.subject).toContain('CN=Acme Consortium Root CA');
    expect(parseCertificate(ca.root.certPem).isCa).toBe(true);
    expect(ca.root.notAfter.getUTCFullYear()).toBe(2036);
  });

  it('creates an issuing CA signed by the root that holds the matching 3072-bit key', () => {
    const root = new X509Certificate(ca.root.certPem);
    const issuing = new X509Certificate(ca.issuing.certPem);
    expect(issuing.ca).toBe(true);
    expect(issuing.checkIssued(root)).toBe(true);
    expect(issuing.verify(root.publicKey)).toBe(true);
    expect(issuing.publicKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
    expect(spkiSha256(ca.issuing.privateKeyPem)).toBe(ca.issuing.spkiSha256);
    expect(ca.issuing.notAfter.getUTCFullYear()).toBe(2031);
  });

  it('refuses root keys below 3072 bits', async () => {
    await expect(createConsortiumCa({ name: 'Weak', rootKeyBits: 2048 })).rejects.toMatchObject({ code: 'PARAM_INVALID' });
  });
});

describe('issueCertificate / renewCertificate', () => {
  let ca: ConsortiumCa;
  let request: KeyAndCsr;
  let rotated: KeyAndCsr;
  beforeAll(async () => {
    [ca, request, rotated] = await Promise.all([
      createConsortiumCa({ name: 'Acme Consortium', now: NOW }),
      createKeyAndCsr({ commonName: 'evil-admin', organization: 'Someone Else', organizationalUnit: 'org-admin' }),
      createKeyAndCsr({ commonName: 'node-1', organization: 'Acme Bank' }),
    ]);
  });

  it('issues a validator certificate with the CA-chosen subject, identity URN, SANs and both TLS usages', () => {
    const issued = issueCertificate({ issuer: ca.issuing, csrPem: request.csrPem, profile: 'validator', subjectId: 'node-1', organization: 'Acme Bank', sans: { dns: ['node-1.acme.example'], ips: ['10.0.0.7', '::1'] }, now: NOW });
    const info = parseCertificate(issued.certPem);
    expect(info.subject).toMatchObject({ commonName: 'node-1', organization: 'Acme Bank', organizationalUnit: 'validator' });
    expect(info.role).toBe('validator');
    expect(info.subjectId).toBe('node-1');
    expect(info.sanUris).toEqual(['urn:accord:validator:node-1']);
    expect(info.dnsNames).toEqual(['node-1.acme.example']);
    expect(info.ipAddresses).toHaveLength(2);
    expect(info.extendedKeyUsages).toEqual(['serverAuth', 'clientAuth']);
    expect(info.isCa).toBe(false);
    expect(info.spkiSha256).toBe(spkiSha256(request.privateKeyPem));
    expect(info.serialHex).toBe(issued.serialHex);
    expect(info.fingerprintSha256).toBe(issued.fingerprintSha256);
    const native = new X509Certificate(issued.certPem);
    expect(native.verify(new X509Certificate(ca.issuing.certPem).publicKey)).toBe(true);
    expect(native.checkHost('node-1.acme.example')).toBe('node-1.acme.example');
    expect(native.checkIP('10.0.0.7')).toBe('10.0.0.7');
  });

  it('defaults validator SANs to localhost and 127.0.0.1', () => {
    const info = parseCertificate(issueCertificate({ issuer: ca.issuing, csrPem: request.csrPem, profile: 'validator', subjectId: 'node-2', organization: 'Acme Bank', now: NOW }).certPem);
    expect(info.dnsNames).toEqual(['localhost']);
    expect(info.ipAddresses).toEqual(['127.0.0.1']);
  });

  it('issues client and org-admin certificates with clientAuth only and the member URN', () => {
    for (const profile of ['client', 'org-admin'] as const) {
      const info = parseCertificate(issueCertificate({ issuer: ca.issuing, csrPem: request.csrPem, profile, subjectId: 'alice', organization: 'Acme Bank', now: NOW }).certPem);
      expect(info.role).toBe(profile);
      expect(info.subject.organizationalUnit).toBe(profile);
      expect(info.sanUris).toEqual(['urn:accord:member:alice']);
      expect(info.subjectId).toBe('alice');
      expect(info.extendedKeyUsages).toEqual(['clientAuth']);
      expect(info.dnsNames).toEqual([]);
    }
  });

  it('prints serials as positive lowercase hex without leading zeros and never repeats them', () => {
    const serials = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const { serialHex, certPem } = issueCertificate({ issuer: ca.issuing, csrPem: request.csrPem, profile: 'client', subjectId: `m${i}`, organization: 'Acme Bank', now: NOW });
      expect(serialHex).toMatch(/^[1-9a-f][0-9a-f]{0,31}$/);
      expect(new X509Certificate(certPem).serialNumber.toLowerCase().replace(/^0+/, '')).toBe(serialHex);
      serials.add(serialHex);
    }
    expect(serials.size).toBe(20);
  });

  it('backdates notBefore by five minutes, honours validityDays and caps notAfter at the issuing CA', () => {
    const issued = issueCertificate({ issuer: ca.issuing, csrPem: request.csrPem, profile: 'client', subjectId: 'bob', organization: 'Acme Bank', validityDays: 30, now: NOW });
    expect(issued.notBefore.toISOString()).toBe('2026-03-01T11:55:00.000Z');
    expect(issued.notAfter.toISOString()).toBe('2026-03-31T12:00:00.000Z');
    const late = new Date(ca.issuing.notAfter.getTime() - 10 * 86_400_000);
    const capped = issueCertificate({ issuer: ca.issuing, csrPem: request.csrPem, profile: 'client', subjectId: 'bob', organization: 'Acme Bank', now: late });
    expect(capped.notAfter.getTime()).toBe(ca.issuing.notAfter.getTime());
  });

  it('rejects bad subject ids, SANs on member profiles, unknown profiles and wrong issuer keys with codes', () => {
    const base = { issuer: ca.issuing, csrPem: request.csrPem, organization: 'Acme Bank', now: NOW };
    expect(() => issueCertificate({ ...base, profile: 'validator', subjectId: 'bad id/../x' })).toThrow(expect.objectContaining({ code: 'SUBJECT_INVALID' }));
    expect(() => issueCertificate({ ...base, profile: 'client', subjectId: 'alice', sans: { dns: ['evil.example'] } })).toThrow(expect.objectContaining({ code: 'SAN_INVALID' }));
    expect(() => issueCertificate({ ...base, profile: 'validator', subjectId: 'n', sans: { ips: ['300.1.1.1'] } })).toThrow(expect.objectContaining({ code: 'SAN_INVALID' }));
    expect(() => issueCertificate({ ...base, profile: 'root' as 'client', subjectId: 'alice' })).toThrow(expect.objectContaining({ code: 'PROFILE_INVALID' }));
    expect(() => issueCertificate({ ...base, profile: 'client', subjectId: 'alice', validityDays: 0 })).toThrow(expect.objectContaining({ code: 'PARAM_INVALID' }));
    const mismatched = { certPem: ca.issuing.certPem, privateKeyPem: ca.root.privateKeyPem };
    expect(() => issueCertificate({ ...base, issuer: mismatched, profile: 'client', subjectId: 'alice' })).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
    const leaf = issueCertificate({ ...base, profile: 'client', subjectId: 'alice' });
    const leafAsIssuer = { certPem: leaf.certPem, privateKeyPem: request.privateKeyPem };
    expect(() => issueCertificate({ ...base, issuer: leafAsIssuer, profile: 'client', subjectId: 'mallory' })).toThrow(expect.objectContaining({ code: 'CERT_INVALID' }));
  });

  it('renews with the same key or a new key, keeping identity and changing the serial', () => {
    const original = issueCertificate({ issuer: ca.issuing, csrPem: request.csrPem, profile: 'validator', subjectId: 'node-1', organization: 'Acme Bank', sans: { dns: ['node-1.acme.example'] }, now: NOW });
    const later = new Date(NOW.getTime() + 300 * 86_400_000);
    const sameKey = renewCertificate({ issuer: ca.issuing, certPem: original.certPem, now: later });
    const newKey = renewCertificate({ issuer: ca.issuing, certPem: original.certPem, csrPem: rotated.csrPem, now: later });
    for (const renewed of [sameKey, newKey]) {
      const info = parseCertificate(renewed.certPem);
      expect(renewed.serialHex).not.toBe(original.serialHex);
      expect(info).toMatchObject({ role: 'validator', subjectId: 'node-1', dnsNames: ['node-1.acme.example'] });
      expect(info.subject.organization).toBe('Acme Bank');
      expect(renewed.notAfter.getTime()).toBeGreaterThan(original.notAfter.getTime());
    }
    expect(sameKey.spkiSha256).toBe(original.spkiSha256);
    expect(newKey.spkiSha256).toBe(spkiSha256(rotated.privateKeyPem));
  });

  it('refuses to renew certificates it did not issue or that are not Accord leaves', async () => {
    const foreign = await createConsortiumCa({ name: 'Other', now: NOW });
    const theirs = issueCertificate({ issuer: foreign.issuing, csrPem: request.csrPem, profile: 'client', subjectId: 'x', organization: 'Other', now: NOW });
    expect(() => renewCertificate({ issuer: ca.issuing, certPem: theirs.certPem })).toThrow(expect.objectContaining({ code: 'CERT_CHAIN' }));
    expect(() => renewCertificate({ issuer: ca.issuing, certPem: ca.issuing.certPem })).toThrow(expect.objectContaining({ code: 'PROFILE_INVALID' }));
    expect(() => renewCertificate({ issuer: ca.issuing, certPem: 'garbage' })).toThrow(expect.objectContaining({ code: 'CERT_INVALID' }));
  });
});
