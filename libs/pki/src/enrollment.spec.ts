import { createHash } from 'node:crypto';
import * as secp from '@noble/secp256k1';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { enrollmentProofDigest, signEnrollmentProof, verifyEnrollmentProof } from '#pki';

const CSR = '-----BEGIN CERTIFICATE REQUEST-----\nMIIBfake\n-----END CERTIFICATE REQUEST-----\n';
const OTHER_CSR = CSR.replace('fake', 'fakf');
const ALICE_KEY = '11'.repeat(32);
const MALLORY_KEY = '22'.repeat(32);
const CURVE_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

describe('enrollment proof of possession', () => {
  it('hashes exactly the documented domain-separated bytes', () => {
    const accountPublicKeyHex = signEnrollmentProof({ token: 't', csrPem: CSR, accountPrivateKeyHex: ALICE_KEY }).accountPublicKeyHex;
    const csrHash = createHash('sha256').update(CSR, 'utf8').digest('hex');
    const expected = createHash('sha256').update(`accord/enroll/v1\ntok-123\n${csrHash}\n${accountPublicKeyHex}`, 'utf8').digest();
    expect(Buffer.from(enrollmentProofDigest({ token: 'tok-123', csrPem: CSR, accountPublicKeyHex }))).toEqual(expected);
  });

  it('accepts a proof by the account key over the same token and CSR', () => {
    const { accountPublicKeyHex, signatureHex } = signEnrollmentProof({ token: 'tok-123', csrPem: CSR, accountPrivateKeyHex: ALICE_KEY });
    expect(accountPublicKeyHex).toMatch(/^0[23][0-9a-f]{64}$/);
    expect(signatureHex).toMatch(/^[0-9a-f]{128}$/);
    expect(verifyEnrollmentProof({ token: 'tok-123', csrPem: CSR, accountPublicKeyHex, signatureHex })).toBe(true);
  });

  it('rejects a proof by another key, over another token or over another CSR', () => {
    const alice = signEnrollmentProof({ token: 'tok-123', csrPem: CSR, accountPrivateKeyHex: ALICE_KEY });
    const mallory = signEnrollmentProof({ token: 'tok-123', csrPem: CSR, accountPrivateKeyHex: MALLORY_KEY });
    expect(verifyEnrollmentProof({ token: 'tok-123', csrPem: CSR, accountPublicKeyHex: alice.accountPublicKeyHex, signatureHex: mallory.signatureHex })).toBe(false);
    expect(verifyEnrollmentProof({ token: 'tok-124', csrPem: CSR, ...alice })).toBe(false);
    expect(verifyEnrollmentProof({ token: 'tok-123', csrPem: OTHER_CSR, ...alice })).toBe(false);
  });

  it('rejects the high-S twin of a valid signature and malformed inputs without throwing', () => {
    const alice = signEnrollmentProof({ token: 'tok', csrPem: CSR, accountPrivateKeyHex: ALICE_KEY });
    const r = alice.signatureHex.slice(0, 64);
    const highS = (CURVE_ORDER - BigInt(`0x${alice.signatureHex.slice(64)}`)).toString(16).padStart(64, '0');
    expect(verifyEnrollmentProof({ token: 'tok', csrPem: CSR, accountPublicKeyHex: alice.accountPublicKeyHex, signatureHex: r + highS })).toBe(false);
    expect(verifyEnrollmentProof({ token: 'tok', csrPem: CSR, accountPublicKeyHex: alice.accountPublicKeyHex, signatureHex: 'zz' })).toBe(false);
    expect(verifyEnrollmentProof({ token: 'tok', csrPem: CSR, accountPublicKeyHex: '02' + 'ff'.repeat(32), signatureHex: alice.signatureHex })).toBe(false);
    expect(verifyEnrollmentProof({ token: 'to\nk', csrPem: CSR, ...alice })).toBe(false);
  });

  it('accepts 65-byte uncompressed account keys and any hex case', () => {
    const uncompressed = Buffer.from(secp.getPublicKey(Buffer.from(ALICE_KEY, 'hex'), false)).toString('hex');
    const digest = enrollmentProofDigest({ token: 'tok', csrPem: CSR, accountPublicKeyHex: uncompressed });
    const signatureHex = Buffer.from(secp.sign(digest, Buffer.from(ALICE_KEY, 'hex'), { prehash: false })).toString('hex');
    expect(verifyEnrollmentProof({ token: 'tok', csrPem: CSR, accountPublicKeyHex: uncompressed.toUpperCase(), signatureHex })).toBe(true);
  });

  it('refuses to build digests for empty or multi-line tokens and non-SEC1 keys', () => {
    expect(() => enrollmentProofDigest({ token: '', csrPem: CSR, accountPublicKeyHex: '02' + '11'.repeat(32) })).toThrow(expect.objectContaining({ code: 'ENROLLMENT_INPUT_INVALID' }));
    expect(() => enrollmentProofDigest({ token: 'a\nb', csrPem: CSR, accountPublicKeyHex: '02' + '11'.repeat(32) })).toThrow(expect.objectContaining({ code: 'ENROLLMENT_INPUT_INVALID' }));
    expect(() => enrollmentProofDigest({ token: 'a', csrPem: CSR, accountPublicKeyHex: '05' + '11'.repeat(32) })).toThrow(expect.objectContaining({ code: 'ENROLLMENT_INPUT_INVALID' }));
    expect(() => signEnrollmentProof({ token: 'a', csrPem: CSR, accountPrivateKeyHex: '00'.repeat(32) })).toThrow(expect.objectContaining({ code: 'ENROLLMENT_INPUT_INVALID' }));
  });

  it('binds every token: a proof verifies only for the token it was made for', () => {
    const token = fc.string({ minLength: 1, maxLength: 40 }).filter((value) => !/[\r\n]/.test(value));
    fc.assert(
      fc.property(token, token, (signed, presented) => {
        const proof = signEnrollmentProof({ token: signed, csrPem: CSR, accountPrivateKeyHex: ALICE_KEY });
        expect(verifyEnrollmentProof({ token: signed, csrPem: CSR, ...proof })).toBe(true);
        expect(verifyEnrollmentProof({ token: presented, csrPem: CSR, ...proof })).toBe(signed === presented);
      }),
      { seed: 20260301, numRuns: 50 },
    );
  });
});
