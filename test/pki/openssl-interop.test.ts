import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createConsortiumCa,
  createCrl,
  createKeyAndCsr,
  decryptPrivateKey,
  encryptPrivateKey,
  issueCertificate,
  issuePkcs12,
  parseCsr,
  renewCertificate,
  spkiSha256,
  type ConsortiumCa,
  type IssuedCertificate,
  type KeyAndCsr,
} from '#pki';
import { openssl, scratch, type Scratch } from './openssl.js';

// Every artefact the CA produces is checked by the OpenSSL CLI, the reference implementation
// validators and operators use, rather than by the library that produced it.
describe('OpenSSL interoperability of the consortium CA', () => {
  let dir: Scratch;
  let ca: ConsortiumCa;
  let validatorKey: KeyAndCsr;
  let memberKey: KeyAndCsr;
  let rotatedKey: KeyAndCsr;
  const issued = new Map<string, IssuedCertificate>();

  const verify = async (certFile: string, extra: readonly string[] = []) =>
    openssl(dir.dir, ['verify', ...extra, '-CAfile', 'root.pem', '-untrusted', 'issuing.pem', certFile]);

  beforeAll(async () => {
    dir = await scratch();
    [ca, validatorKey, memberKey, rotatedKey] = await Promise.all([
      createConsortiumCa({ name: 'Interop Consortium' }),
      createKeyAndCsr({ commonName: 'node-1', organization: 'Acme Bank', organizationalUnit: 'validator' }),
      createKeyAndCsr({ commonName: 'alice', organization: 'Acme Bank' }),
      createKeyAndCsr({ commonName: 'node-1', organization: 'Acme Bank', keyBits: 3072 }),
    ]);
    await dir.write('root.pem', ca.root.certPem);
    await dir.write('issuing.pem', ca.issuing.certPem);
    const validator = issueCertificate({ issuer: ca.issuing, csrPem: validatorKey.csrPem, profile: 'validator', subjectId: 'node-1', organization: 'Acme Bank' });
    issued.set('validator', validator);
    issued.set('client', issueCertificate({ issuer: ca.issuing, csrPem: memberKey.csrPem, profile: 'client', subjectId: 'alice', organization: 'Acme Bank' }));
    issued.set('org-admin', issueCertificate({ issuer: ca.issuing, csrPem: memberKey.csrPem, profile: 'org-admin', subjectId: 'alice-admin', organization: 'Acme Bank' }));
    issued.set('renewed-same-key', renewCertificate({ issuer: ca.issuing, certPem: validator.certPem }));
    issued.set('renewed-new-key', renewCertificate({ issuer: ca.issuing, certPem: validator.certPem, csrPem: rotatedKey.csrPem }));
    for (const [name, cert] of issued) await dir.write(`${name}.pem`, cert.certPem);
  });

  afterAll(async () => {
    await dir.remove();
  });

  it('verifies every issued certificate against root + issuing CA', async () => {
    for (const name of issued.keys()) {
      const result = await verify(`${name}.pem`);
      expect(result.stdout, `${name}: ${result.stderr}`).toContain(': OK');
      expect(result.exitCode).toBe(0);
    }
  });

  it('rejects a certificate when the chain is missing the issuing CA (the check can fail)', async () => {
    const result = await openssl(dir.dir, ['verify', '-CAfile', 'root.pem', 'client.pem']);
    expect(result.exitCode).not.toBe(0);
  });

  it('shows the agreed profile: CA constraints, key usages and purposes', async () => {
    const root = await openssl(dir.dir, ['x509', '-in', 'root.pem', '-noout', '-text']);
    expect(root.stdout).toMatch(/Public-Key: \(3072 bit\)/);
    expect(root.stdout).toMatch(/Basic Constraints: critical\s+CA:TRUE\n/);
    expect(root.stdout).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);
    const issuing = await openssl(dir.dir, ['x509', '-in', 'issuing.pem', '-noout', '-text']);
    expect(issuing.stdout).toMatch(/CA:TRUE, pathlen:0/);
    const validator = await openssl(dir.dir, ['x509', '-in', 'validator.pem', '-noout', '-text', '-purpose']);
    expect(validator.stdout).toContain('Subject: CN = node-1, O = Acme Bank, OU = validator');
    expect(validator.stdout).toContain('URI:urn:accord:validator:node-1, DNS:localhost, IP Address:127.0.0.1');
    expect(validator.stdout).toMatch(/Key Usage: critical\s+Digital Signature, Key Encipherment/);
    expect(validator.stdout).toContain('SSL client : Yes');
    expect(validator.stdout).toContain('SSL server : Yes');
    expect(validator.stdout).toContain('Authority Key Identifier');
    const client = await openssl(dir.dir, ['x509', '-in', 'client.pem', '-noout', '-text', '-purpose']);
    expect(client.stdout).toContain('URI:urn:accord:member:alice');
    expect(client.stdout).toContain('SSL client : Yes');
    expect(client.stdout).toContain('SSL server : No');
    const serial = await openssl(dir.dir, ['x509', '-in', 'client.pem', '-noout', '-serial']);
    expect(serial.stdout.trim().replace(/^serial=0*/, '').toLowerCase()).toBe(issued.get('client')?.serialHex);
  });

  it('fails crl_check once the certificate is listed in the published CRL, and passes before', async () => {
    const thisUpdate = new Date(Date.now() - 60_000);
    const nextUpdate = new Date(thisUpdate.getTime() + 7 * 86_400_000);
    const target = issued.get('client');
    const bystander = issued.get('org-admin');
    if (!target || !bystander) throw new Error('fixtures missing');
    await dir.write('crl-1.pem', await createCrl({ issuer: ca.issuing, revoked: [], crlNumber: 1, thisUpdate, nextUpdate }));
    await dir.write('crl-2.pem', await createCrl({ issuer: ca.issuing, revoked: [{ serialHex: target.serialHex, revokedAt: thisUpdate, reason: 'keyCompromise' }], crlNumber: 2, thisUpdate, nextUpdate }));

    const before = await verify('client.pem', ['-crl_check', '-CRLfile', 'crl-1.pem']);
    expect(before.stdout, before.stderr).toContain('client.pem: OK');
    const after = await verify('client.pem', ['-crl_check', '-CRLfile', 'crl-2.pem']);
    expect(after.exitCode).not.toBe(0);
    expect(after.stdout + after.stderr).toContain('certificate revoked');
    const unaffected = await verify('org-admin.pem', ['-crl_check', '-CRLfile', 'crl-2.pem']);
    expect(unaffected.stdout, unaffected.stderr).toContain('org-admin.pem: OK');
  });

  it('writes a CRL OpenSSL reads with signature, CRL number, nextUpdate and reasons', async () => {
    const thisUpdate = new Date('2026-01-01T00:00:00Z');
    const crlPem = await createCrl({
      issuer: ca.issuing,
      revoked: [
        { serialHex: 'ABCDEF0123', revokedAt: thisUpdate, reason: 'superseded' },
        { serialHex: '00:7f:01', revokedAt: thisUpdate, reason: 'cessationOfOperation' },
        { serialHex: 'ff01', revokedAt: thisUpdate, reason: 'affiliationChanged' },
        { serialHex: '1234', revokedAt: thisUpdate, reason: 'unspecified' },
      ],
      crlNumber: 42,
      thisUpdate,
      nextUpdate: new Date('2026-01-08T00:00:00Z'),
    });
    expect(crlPem).toMatch(/^-----BEGIN X509 CRL-----\n[\s\S]+\n-----END X509 CRL-----\n$/);
    await dir.write('crl-text.pem', crlPem);
    const text = await openssl(dir.dir, ['crl', '-in', 'crl-text.pem', '-noout', '-text', '-CAfile', 'issuing.pem']);
    expect(text.stderr).toContain('verify OK');
    expect(text.stdout).toContain('Version 2');
    expect(text.stdout).toContain('Next Update: Jan  8 00:00:00 2026 GMT');
    expect(text.stdout).toMatch(/X509v3 CRL Number: \s*42/);
    expect(text.stdout).toContain('Serial Number: ABCDEF0123');
    expect(text.stdout).toContain('Serial Number: 7F01');
    expect(text.stdout).toContain('Serial Number: FF01');
    expect(text.stdout).toContain('Superseded');
    expect(text.stdout).toContain('Cessation Of Operation');
    expect(text.stdout).toContain('Affiliation Changed');
    const wrongIssuer = await openssl(dir.dir, ['crl', '-in', 'crl-text.pem', '-noout', '-CAfile', 'root.pem']);
    expect(wrongIssuer.exitCode).not.toBe(0);
  });

  it('packs a PKCS#12 that opens only with its password and holds a working key and the chain', async () => {
    const bundle = await issuePkcs12({ issuer: ca.issuing, chainPems: [ca.issuing.certPem, ca.root.certPem], profile: 'client', subjectId: 'bob', organization: 'Acme Bank', password: 'p12-secret' });
    await dir.write('bob.p12', bundle.pkcs12Der);
    await dir.write('bob.pem', bundle.certPem);
    expect((await verify('bob.pem')).stdout).toContain('bob.pem: OK');

    const opened = await openssl(dir.dir, ['pkcs12', '-in', 'bob.p12', '-passin', 'pass:p12-secret', '-nodes']);
    expect(opened.exitCode, opened.stderr).toBe(0);
    const keyPem = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----\n/.exec(opened.stdout)?.[0];
    expect(keyPem).toBeDefined();
    expect(spkiSha256(keyPem ?? '')).toBe(bundle.spkiSha256);
    expect(opened.stdout.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(3);
    expect(opened.stdout).toContain('subject=CN = bob, O = Acme Bank, OU = client');

    const info = await openssl(dir.dir, ['pkcs12', '-in', 'bob.p12', '-passin', 'pass:p12-secret', '-info', '-noout']);
    expect(info.stderr).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC/);
    const wrong = await openssl(dir.dir, ['pkcs12', '-in', 'bob.p12', '-passin', 'pass:not-it', '-nodes']);
    expect(wrong.exitCode).not.toBe(0);
    expect(wrong.stderr).toMatch(/mac verify|invalid password/i);
  });

  it('encrypts private keys so that openssl pkey opens them only with the passphrase', async () => {
    await dir.write('enc.pem', encryptPrivateKey(memberKey.privateKeyPem, 'at-rest-pass'));
    const right = await openssl(dir.dir, ['pkey', '-in', 'enc.pem', '-passin', 'pass:at-rest-pass']);
    expect(right.exitCode, right.stderr).toBe(0);
    expect(spkiSha256(right.stdout)).toBe(spkiSha256(memberKey.privateKeyPem));
    const wrong = await openssl(dir.dir, ['pkey', '-in', 'enc.pem', '-passin', 'pass:guess']);
    expect(wrong.exitCode).not.toBe(0);
    const asn1 = await openssl(dir.dir, ['asn1parse', '-in', 'enc.pem']);
    expect(asn1.stdout).toContain('aes-256-cbc');
    expect(asn1.stdout).toContain('PBKDF2');
  });

  it('decrypts keys that OpenSSL encrypted, and rejects the wrong passphrase with KEY_DECRYPT', async () => {
    await dir.write('plain.pem', memberKey.privateKeyPem);
    const encrypted = await openssl(dir.dir, ['pkcs8', '-topk8', '-in', 'plain.pem', '-v2', 'aes-256-cbc', '-passout', 'pass:from-openssl']);
    expect(encrypted.exitCode, encrypted.stderr).toBe(0);
    expect(spkiSha256(decryptPrivateKey(encrypted.stdout, 'from-openssl'))).toBe(spkiSha256(memberKey.privateKeyPem));
    expect(() => decryptPrivateKey(encrypted.stdout, 'nope')).toThrow(expect.objectContaining({ code: 'KEY_DECRYPT' }));
  });

  it('produces CSRs OpenSSL verifies and accepts CSRs OpenSSL generates', async () => {
    await dir.write('ours.csr', validatorKey.csrPem);
    const ours = await openssl(dir.dir, ['req', '-in', 'ours.csr', '-verify', '-noout']);
    expect(ours.exitCode, ours.stderr).toBe(0);
    expect(ours.stdout + ours.stderr).toMatch(/verify OK/i);

    const theirs = await openssl(dir.dir, ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'theirs.key', '-subj', '/CN=node-5/O=Beta Co', '-sha256']);
    expect(theirs.exitCode, theirs.stderr).toBe(0);
    const parsed = parseCsr(theirs.stdout);
    expect(parsed).toMatchObject({ commonName: 'node-5', organization: 'Beta Co', keyBits: 2048 });
    const cert = issueCertificate({ issuer: ca.issuing, csrPem: theirs.stdout, profile: 'validator', subjectId: 'node-5', organization: 'Beta Co' });
    await dir.write('node-5.pem', cert.certPem);
    expect((await verify('node-5.pem')).stdout).toContain('node-5.pem: OK');
    const keyCheck = await openssl(dir.dir, ['x509', '-in', 'node-5.pem', '-noout', '-pubkey']);
    expect(spkiSha256(keyCheck.stdout)).toBe(parsed.spkiSha256);
  });

  it('ignores names and extensions requested in an OpenSSL CSR and rejects non-RSA CSRs', async () => {
    const greedy = await openssl(dir.dir, ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'greedy.key', '-subj', '/CN=Root Admin/O=Interop Consortium/OU=org-admin', '-addext', 'subjectAltName=DNS:evil.example,URI:urn:accord:validator:node-1', '-addext', 'basicConstraints=critical,CA:TRUE']);
    expect(greedy.exitCode, greedy.stderr).toBe(0);
    const cert = issueCertificate({ issuer: ca.issuing, csrPem: greedy.stdout, profile: 'client', subjectId: 'carol', organization: 'Acme Bank' });
    await dir.write('carol.pem', cert.certPem);
    const text = await openssl(dir.dir, ['x509', '-in', 'carol.pem', '-noout', '-text']);
    expect(text.stdout).toContain('Subject: CN = carol, O = Acme Bank, OU = client');
    expect(text.stdout).toContain('URI:urn:accord:member:carol');
    expect(text.stdout).not.toContain('evil.example');
    expect(text.stdout).not.toContain('urn:accord:validator');
    expect(text.stdout).toContain('CA:FALSE');

    const ec = await openssl(dir.dir, ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ec.key', '-subj', '/CN=node-ec']);
    expect(ec.exitCode, ec.stderr).toBe(0);
    expect(() => parseCsr(ec.stdout)).toThrow(expect.objectContaining({ code: 'CSR_INVALID' }));
  });
});
