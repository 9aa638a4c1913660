import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createConsortiumCa,
  createKeyAndCsr,
  daysUntilExpiry,
  generateRsaKeyPair,
  isExpiringSoon,
  issueCertificate,
  verifyChain,
  type ConsortiumCa,
  type IssuedCertificate,
  type KeyAndCsr,
} from '#pki';
import { loadIssuer, signCertificate } from './builder.js';
import { signLeaf } from './issue.js';
import { subjectAttributes } from './profiles.js';

const NOW = new Date('2026-06-01T00:00:00Z');

describe('verifyChain', () => {
  let ca: ConsortiumCa;
  let foreign: ConsortiumCa;
  let request: KeyAndCsr;
  let leaf: IssuedCertificate;

  beforeAll(async () => {
    [ca, foreign, request] = await Promise.all([
      createConsortiumCa({ name: 'Acme Consortium', now: NOW }),
      createConsortiumCa({ name: 'Acme Consortium', now: NOW }),
      createKeyAndCsr({ commonName: 'node-1', organization: 'Acme Bank' }),
    ]);
    leaf = issueCertificate({ issuer: ca.issuing, csrPem: request.csrPem, profile: 'validator', subjectId: 'node-1', organization: 'Acme Bank', validityDays: 90, now: NOW });
  });

  it('accepts leaf → issuing → root and returns the parsed leaf', () => {
    const info = verifyChain(leaf.certPem, [ca.issuing.certPem, ca.root.certPem], NOW);
    expect(info.subjectId).toBe('node-1');
    expect(verifyChain(ca.issuing.certPem, [ca.root.certPem], NOW).isCa).toBe(true);
  });

  it('rejects a look-alike CA with the same names but other keys', () => {
    expect(() => verifyChain(leaf.certPem, [foreign.issuing.certPem, foreign.root.certPem], NOW)).toThrow(expect.objectContaining({ code: 'CERT_CHAIN' }));
    expect(() => verifyChain(leaf.certPem, [ca.issuing.certPem, foreign.root.certPem], NOW)).toThrow(expect.objectContaining({ code: 'CERT_CHAIN' }));
  });

  it('rejects a misordered chain, a leaf posing as issuer and a chain without a self-signed anchor', () => {
    expect(() => verifyChain(leaf.certPem, [ca.root.certPem, ca.issuing.certPem], NOW)).toThrow(expect.objectContaining({ code: 'CERT_CHAIN' }));
    const other = issueCertificate({ issuer: ca.issuing, csrPem: request.csrPem, profile: 'client', subjectId: 'bob', organization: 'Acme Bank', now: NOW });
    expect(() => verifyChain(other.certPem, [leaf.certPem, ca.issuing.certPem, ca.root.certPem], NOW)).toThrow(expect.objectContaining({ code: 'CERT_CHAIN' }));
    expect(() => verifyChain(leaf.certPem, [ca.issuing.certPem], NOW)).toThrow(expect.objectContaining({ code: 'CERT_CHAIN' }));
    expect(() => verifyChain(leaf.certPem, [], NOW)).toThrow(expect.objectContaining({ code: 'PARAM_INVALID' }));
  });

  it('enforces the issuing CA pathlen:0 against a sub-CA smuggled below it', async () => {
    const subKeys = await generateRsaKeyPair(2048);
    const subCa = signCertificate({
      publicKey: forge.pki.publicKeyFromPem(subKeys.publicKeyPem),
      subject: subjectAttributes({ commonName: 'Rogue Sub CA', organization: 'Acme Bank' }),
      extensions: [{ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', critical: true, keyCertSign: true, cRLSign: true }],
      notBefore: NOW,
      notAfter: new Date(NOW.getTime() + 86_400_000 * 30),
      issuer: loadIssuer(ca.issuing),
    });
    const rogueLeaf = signLeaf({
      issuer: loadIssuer({ certPem: subCa.certPem, privateKeyPem: subKeys.privateKeyPem }),
      publicKey: forge.pki.publicKeyFromPem(subKeys.publicKeyPem),
      profile: 'validator',
      subjectId: 'node-9',
      organization: 'Acme Bank',
      now: new Date(NOW.getTime() + 3_600_000),
    });
    const at = new Date(NOW.getTime() + 7_200_000);
    expect(() => verifyChain(rogueLeaf.certPem, [subCa.certPem, ca.issuing.certPem, ca.root.certPem], at)).toThrow(expect.objectContaining({ code: 'CERT_CHAIN', message: expect.stringContaining('allows 0 intermediate CAs') }));
  });

  it('rejects certificates outside their validity period', () => {
    expect(() => verifyChain(leaf.certPem, [ca.issuing.certPem, ca.root.certPem], new Date('2026-09-01T00:00:00Z'))).toThrow(expect.objectContaining({ code: 'CERT_EXPIRED' }));
    expect(() => verifyChain(leaf.certPem, [ca.issuing.certPem, ca.root.certPem], new Date('2026-05-31T23:00:00Z'))).toThrow(expect.objectContaining({ code: 'CERT_NOT_YET_VALID' }));
    expect(() => verifyChain('garbage', [ca.root.certPem], NOW)).toThrow(expect.objectContaining({ code: 'CERT_INVALID' }));
  });

  it('reports days until expiry and flags certificates inside the renewal window', () => {
    // notAfter = NOW + 90 days exactly.
    expect(daysUntilExpiry(leaf.certPem, NOW)).toBe(90);
    expect(daysUntilExpiry(leaf.certPem, new Date('2026-08-30T00:00:01Z'))).toBe(-1);
    expect(isExpiringSoon(leaf.certPem, NOW)).toBe(false);
    expect(isExpiringSoon(leaf.certPem, new Date('2026-08-01T00:00:00Z'))).toBe(true);
    expect(isExpiringSoon(leaf.certPem, NOW, 90)).toBe(true);
    expect(isExpiringSoon(leaf.certPem, NOW, 89)).toBe(false);
  });
});
