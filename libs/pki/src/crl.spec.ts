import { beforeAll, describe, expect, it } from 'vitest';
import { createConsortiumCa, createCrl, parseCrl, type ConsortiumCa, type RevokedCertificate } from '#pki';

const THIS_UPDATE = new Date('2026-04-01T00:00:00Z');
const NEXT_UPDATE = new Date('2026-04-08T00:00:00Z');

/** Rewrites the revoked serial 0x1234 to 0x1235 inside the signed part, keeping the DER valid. */
function tamperSerial(pem: string): string {
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const at = der.indexOf(Buffer.from('02021234', 'hex'));
  if (at < 0) throw new Error('serial 1234 not found');
  der[at + 3] = 0x35;
  return `-----BEGIN X509 CRL-----\n${der.toString('base64').match(/.{1,64}/g)?.join('\n')}\n-----END X509 CRL-----\n`;
}

describe('createCrl / parseCrl', () => {
  let ca: ConsortiumCa;
  let lookAlike: ConsortiumCa;
  beforeAll(async () => {
    [ca, lookAlike] = await Promise.all([
      createConsortiumCa({ name: 'CRL Consortium', now: THIS_UPDATE }),
      createConsortiumCa({ name: 'CRL Consortium', now: THIS_UPDATE }),
    ]);
  });

  const revoked: RevokedCertificate[] = [
    { serialHex: 'E4703D3F44F18524F74801A85D897E4D', revokedAt: new Date('2026-03-30T10:00:00Z'), reason: 'keyCompromise' },
    { serialHex: '00:7f', revokedAt: new Date('2026-03-31T10:00:00Z'), reason: 'superseded' },
    { serialHex: '80', revokedAt: new Date('2026-03-31T11:00:00Z'), reason: 'unspecified' },
    { serialHex: '1234', revokedAt: new Date('2026-03-31T12:00:00Z'), reason: 'privilegeWithdrawn' },
  ];

  it('round-trips number, window, serials and reasons through a signature-checked parse', async () => {
    const pem = await createCrl({ issuer: ca.issuing, revoked, crlNumber: 2n ** 64n + 1n, thisUpdate: THIS_UPDATE, nextUpdate: NEXT_UPDATE });
    const info = await parseCrl(pem, ca.issuing.certPem);
    expect(info.crlNumber).toBe(2n ** 64n + 1n);
    expect(info.thisUpdate).toEqual(THIS_UPDATE);
    expect(info.nextUpdate).toEqual(NEXT_UPDATE);
    expect(info.issuer.commonName).toBe('CRL Consortium Issuing CA');
    expect(info.revoked).toEqual([
      { serialHex: 'e4703d3f44f18524f74801a85d897e4d', revokedAt: revoked[0].revokedAt, reason: 'keyCompromise' },
      { serialHex: '7f', revokedAt: revoked[1].revokedAt, reason: 'superseded' },
      { serialHex: '80', revokedAt: revoked[2].revokedAt, reason: 'unspecified' },
      { serialHex: '1234', revokedAt: revoked[3].revokedAt, reason: 'privilegeWithdrawn' },
    ]);
    expect(info.revokedSerials.has('e4703d3f44f18524f74801a85d897e4d')).toBe(true);
    expect(info.revokedSerials.has('e4703d3f44f18524f74801a85d897e4e')).toBe(false);
  });

  it('signs an empty CRL for the root as well', async () => {
    const info = await parseCrl(await createCrl({ issuer: ca.root, revoked: [], crlNumber: 0, thisUpdate: THIS_UPDATE, nextUpdate: NEXT_UPDATE }), ca.root.certPem);
    expect(info.revoked).toEqual([]);
    expect(info.crlNumber).toBe(0n);
  });

  it('rejects CRLs from another CA, a CRL checked against the wrong CA and tampered CRLs', async () => {
    const pem = await createCrl({ issuer: ca.issuing, revoked, crlNumber: 5, thisUpdate: THIS_UPDATE, nextUpdate: NEXT_UPDATE });
    await expect(parseCrl(pem, lookAlike.issuing.certPem)).rejects.toMatchObject({ code: 'CRL_SIGNATURE' });
    await expect(parseCrl(pem, ca.root.certPem)).rejects.toMatchObject({ code: 'CRL_SIGNATURE' });
    const tampered = tamperSerial(pem);
    expect((await parseCrl(tampered)).revokedSerials.has('1235')).toBe(true);
    await expect(parseCrl(tampered, ca.issuing.certPem)).rejects.toMatchObject({ code: 'CRL_SIGNATURE' });
    await expect(parseCrl('-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n')).rejects.toMatchObject({ code: 'CRL_INVALID' });
  });

  it('also reads the plain "CRL" PEM label', async () => {
    const pem = await createCrl({ issuer: ca.issuing, revoked: [], crlNumber: 1, thisUpdate: THIS_UPDATE, nextUpdate: NEXT_UPDATE });
    const relabelled = pem.replace(/X509 CRL/g, 'CRL');
    expect((await parseCrl(relabelled, ca.issuing.certPem)).crlNumber).toBe(1n);
  });

  it('validates its parameters with PARAM_INVALID', async () => {
    const base = { issuer: ca.issuing, crlNumber: 1, thisUpdate: THIS_UPDATE, nextUpdate: NEXT_UPDATE };
    await expect(createCrl({ ...base, revoked: [], nextUpdate: THIS_UPDATE })).rejects.toMatchObject({ code: 'PARAM_INVALID' });
    await expect(createCrl({ ...base, revoked: [], crlNumber: -1 })).rejects.toMatchObject({ code: 'PARAM_INVALID' });
    await expect(createCrl({ ...base, revoked: [{ ...revoked[0], serialHex: 'xyz' }] })).rejects.toMatchObject({ code: 'PARAM_INVALID' });
    await expect(createCrl({ ...base, revoked: [revoked[1], { ...revoked[1], serialHex: '7F' }] })).rejects.toMatchObject({ code: 'PARAM_INVALID' });
    await expect(createCrl({ ...base, revoked: [{ ...revoked[0], reason: 'bored' as 'superseded' }] })).rejects.toMatchObject({ code: 'PARAM_INVALID' });
  });
});
